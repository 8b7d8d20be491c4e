"""The navigation menu, built per user from what they may see. Apps add entries to MENU."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _council_member(user) -> bool:
    from ocop.evaluation.selectors import is_council_member

    return is_council_member(user)


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    permission: str | None = None  # None: any signed-in user
    icon: str = ""
    # Shown also when this returns true for the user (only then, if there is no permission).
    when: Callable | None = None


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    items: tuple[MenuItem, ...]


MENU: list[MenuGroup] = [
    MenuGroup(
        _("Registries"),
        (
            MenuItem(_("Products"), "registry:product_list", "registry.view_product"),
            MenuItem(_("Producers"), "registry:producer_list", "registry.view_producer"),
            MenuItem(
                _("Changes to approve"), "registry:change_request_list", "registry.change_changerequest"
            ),
            MenuItem(_("My products"), "registry:my", "registry.selfservice"),
        ),
    ),
    MenuGroup(
        _("OCOP cycle"),
        (
            MenuItem(_("Product dossiers"), "programme:dossier_list", "programme.view_dossier"),
            MenuItem(_("Overdue"), "programme:overdue", "programme.view_dossier"),
            MenuItem(_("Product ideas"), "programme:idea_list", "programme.view_productidea"),
            MenuItem(_("Business plans"), "programme:plan_list", "programme.view_businessplan"),
            MenuItem(_("OCOP cycles"), "programme:cycle_list", "programme.view_programmecycle"),
            MenuItem(_("My OCOP dossiers"), "programme:my", "registry.selfservice"),
        ),
    ),
    MenuGroup(
        _("Evaluation"),
        (
            MenuItem(_("My scoring"), "evaluation:my", when=_council_member),
            MenuItem(
                _("Evaluation sessions"),
                "evaluation:session_list",
                "evaluation.view_evaluationsession",
                when=_council_member,
            ),
            MenuItem(_("Results"), "evaluation:result_list", "evaluation.view_evaluationresult"),
            MenuItem(
                _("Councils"), "evaluation:council_list", "evaluation.view_council", when=_council_member
            ),
            MenuItem(_("Criteria and score sheets"), "evaluation:rule_list"),
        ),
    ),
    MenuGroup(
        _("Recognition"),
        (
            MenuItem(_("Certificates"), "certification:certificate_list", "certification.view_certificate"),
            MenuItem(
                _("Recognition decisions"),
                "certification:decision_list",
                "certification.view_recognitiondecision",
            ),
        ),
    ),
    MenuGroup(
        _("Plans and reports"),
        (
            # planning items
            MenuItem(_("Plans and targets"), "planning:plan_list", "planning.view_plan"),
            MenuItem(_("Indicator library"), "planning:indicator_list"),
            MenuItem(_("Values entered by hand"), "planning:entered_list", "planning.view_enteredvalue"),
            # reporting items
            MenuItem(_("Dashboard"), "reporting:dashboard", "reporting.view_summary"),
            MenuItem(_("Map of communes"), "reporting:map", "reporting.view_summary"),
            MenuItem(_("Reports"), "reporting:report_list", "reporting.view_report"),
        ),
    ),
    MenuGroup(
        _("Programme activities"),
        (
            # activities items
            MenuItem(_("Promotion events"), "activities:event_list", "activities.view_promotionevent"),
            MenuItem(_("OCOP sales points"), "activities:salespoint_list", "activities.view_salespoint"),
            MenuItem(_("Marketplace listings"), "activities:listing_list", "registry.view_product"),
            MenuItem(_("Training courses"), "activities:course_list", "activities.view_trainingcourse"),
            MenuItem(_("Outreach articles"), "activities:article_list", "activities.view_outreacharticle"),
            # quality items
            MenuItem(_("Quality inspections"), "quality:inspection_list", "quality.view_inspection"),
            MenuItem(_("Standards and certifications"), "quality:standard_list", "registry.view_product"),
            MenuItem(_("Traceability"), "quality:traceability_list", "registry.view_product"),
            MenuItem(_("Advanced quality management"), "quality:qms_list", "registry.view_product"),
            # funding items
            MenuItem(_("Support to producers"), "funding:grant_list", "funding.view_supportgrant"),
            MenuItem(_("Funding sources"), "funding:source_list", "funding.view_fundingsource"),
            MenuItem(_("State-funded assets"), "funding:asset_list", "funding.view_stateasset"),
            MenuItem(_("Support totals"), "funding:totals", "funding.view_supportgrant"),
        ),
    ),
    MenuGroup(
        _("Places"),
        (
            MenuItem(_("Administrative units"), "geo:unit_list"),
            MenuItem(_("2025 reorganisation"), "geo:succession_list"),
        ),
    ),
    MenuGroup(
        _("Administration"),
        (
            MenuItem(_("Users"), "accounts:user_list", "accounts.view_user"),
            MenuItem(_("Audit trail"), "audit:event_list", "audit.view_auditevent"),
        ),
    ),
]


def menu_for(request) -> list[dict]:
    """The user's menu, with the entries of the current page marked active. What the user may
    see is kept under the data version (role assignments and council seats are audited writes):
    a page does not ask the permissions and the council again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    from django.utils import translation

    from .datacache import remembered

    entries = remembered("menu", lambda: _entries(user), user.pk, translation.get_language() or "")
    path = request.path
    groups = []
    for label, links in entries:
        items = [{"label": text, "url": url, "active": path.startswith(url)} for text, url in links]
        groups.append({"label": label, "items": items, "active": any(i["active"] for i in items)})
    return groups


def _entries(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group label, [(item label, address)])] of the groups with an entry for the user."""
    from ocop.accounts.selectors import has_perm

    from .links import url_to

    groups = []
    for group in MENU:
        items = []
        for item in group.items:
            by_permission = (item.permission is None and item.when is None) or (
                item.permission is not None and has_perm(user, item.permission)
            )
            if not by_permission and not (item.when is not None and item.when(user)):
                continue
            items.append((str(item.label), url_to(item.url_name)))
        if items:
            groups.append((str(group.label), items))
    return groups
