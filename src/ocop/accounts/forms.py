from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ocop.geo.models import AdminUnit
from ocop.geo.widgets import AreaWidget

from .models import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Note that both are case-sensitive."),
        "inactive": _("This account is disabled."),
        "locked": _(
            "Too many failed sign-in attempts: the account is locked for a while. Try again later "
            "or reset the password."
        ),
    }

    def clean(self):
        from .services import is_locked

        username = self.cleaned_data.get("username")
        if username and is_locked(username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username and is_locked(username):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class AreaField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", AdminUnit.objects.all())
        kwargs.setdefault("widget", AreaWidget)
        super().__init__(**kwargs)


class UserFieldsForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)


class RoleGrantForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    area = AreaField(label=_("Area"), required=False, help_text=_("Leave empty for the whole system."))
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UserCreateForm(UserFieldsForm, RoleGrantForm):
    """A new account with its first role."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 10 characters; the user should change it."),
    )

    field_order = [
        "username",
        "full_name",
        "email",
        "phone",
        "organisation",
        "position",
        "password",
        "role",
        "area",
        "valid_until",
    ]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “report script”.")
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), required=False, min_value=1, max_value=3650
    )


def apply_service_errors(form: forms.Form, exc) -> None:
    """Put a service's ValidationError on the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
