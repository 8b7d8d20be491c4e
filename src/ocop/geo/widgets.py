from django import forms


class AreaWidget(forms.Widget):
    """Pick an administrative unit by typing part of its name (diacritics optional).

    Renders a hidden input with the unit's id and a search box that asks `geo:unit_search` for
    matches (htmx); choosing one fills the hidden input. Never renders the 13,000 units.
    """

    template_name = "geo/widgets/area.html"

    def get_context(self, name, value, attrs):
        from .models import AdminUnit

        context = super().get_context(name, value, attrs)
        unit = None
        if value not in (None, ""):
            try:
                unit = AdminUnit.objects.select_related("parent").filter(pk=int(value)).first()
            except (TypeError, ValueError):
                unit = None
        context["widget"]["unit"] = unit
        return context
