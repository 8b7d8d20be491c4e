"""Screens of the criteria: rule versions and their score sheets, a sheet's whole tree with its
history, export (JSON, XLSX), and the import of a corrected sheet: upload → preview (parsed tree,
problems, discrepancies, differences from the current version) → publish as a new version.

Reading is open to every signed-in user (`evaluation.view_scoresheet` is always granted);
importing and publishing need `evaluation.publish_scoresheet`. The uploaded file waits on the
server (`sheet_io.StoredSheet`, outside the served media); the publish step reads and checks that
stored file again and trusts nothing posted back from the preview but the note.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.selectors import has_perm
from ocop.core.export import XLSX_MIME

from . import sheet_io, sheets
from .models import RuleVersion, ScoreSheet

VIEW_PERMISSION = "evaluation.view_scoresheet"
PUBLISH_PERMISSION = "evaluation.publish_scoresheet"


def _num(value) -> str:
    """A number as the page shows it: 2,5 and 40 (never 40,00)."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(sheets._n(Decimal(str(value)))))


def tree_rows(section: dict) -> list[dict]:
    """A part's criteria and options as rows to show, in sheet order, with their depth."""
    rows: list[dict] = []

    def walk(nodes, depth):
        for node in nodes:
            rows.append(
                {
                    "kind": "criterion",
                    "depth": depth,
                    "indent": depth * 1.5,
                    "code": node["code"],
                    "label": node["label"],
                    "max_score": _num(node.get("max_score")),
                    "requirement_note": node.get("requirement_note") or "",
                    "is_scorable": node["is_scorable"],
                }
            )
            for option in node.get("options") or []:
                rows.append(
                    {
                        "kind": "option",
                        "depth": depth,
                        "indent": depth * 1.5 + 1.5,
                        "label": option["label"],
                        "points": _num(option["points"]),
                    }
                )
            walk(node.get("children") or [], depth + 1)

    walk(section.get("criteria") or [], 0)
    return rows


def _labels(tree: dict) -> dict[str, str]:
    labels: dict[str, str] = {}

    def walk(nodes):
        for node in nodes:
            labels.setdefault(node["code"], node["label"])
            walk(node.get("children") or [])

    for section in tree.get("sections") or []:
        walk(section.get("criteria") or [])
    return labels


def _minimum_rows(tree: dict) -> list[dict]:
    labels = _labels(tree)
    return [
        {
            "stars": m["stars"],
            "criterion": m["criterion"],
            "label": labels.get(m["criterion"], ""),
            "min_points": _num(m["min_points"]),
        }
        for m in tree.get("star_minimums") or []
    ]


class ReadMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PublishMixin(LoginRequiredMixin):
    """Signed in (else the login page) and allowed to publish sheets (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, PUBLISH_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- Reading ------------------------------------------------------------------------------------------


class RuleListView(ReadMixin, View):
    """Every rule version with its current sheets; older versions are linked beside each sheet."""

    template_name = "evaluation/rule_list.html"

    def get(self, request):
        rules = list(
            RuleVersion.objects.select_related("category_scheme").order_by("-effective_from", "code")
        )
        by_rule = {r.pk: r for r in rules}
        for r in rules:
            r.current_sheets = []
            r.older_count = 0
            r.is_historical = sheet_io.is_historical(r)
            r.maxima = [(part, _num(value)) for part, value in sorted(r.part_maxima.items())]
            r.bands = sorted(r.star_bands, key=lambda b: -int(b["stars"]))
        sheets_qs = (
            ScoreSheet.objects.select_related("product_set")
            .only(
                "id",
                "rule_version_id",
                "code",
                "version",
                "name",
                "product_set__code",
                "product_set__sort_order",
                "discrepancies",
                "star_minimums",
                "published_at",
                "superseded_by_id",
            )
            .order_by("rule_version_id", "product_set__sort_order", "code", "-version")
        )
        current: dict[tuple[int, str], ScoreSheet] = {}
        older: dict[tuple[int, str], list[ScoreSheet]] = {}
        for sheet in sheets_qs:
            key = (sheet.rule_version_id, sheet.code)
            if sheet.superseded_by_id is None:
                current[key] = sheet
                by_rule[sheet.rule_version_id].current_sheets.append(sheet)
            else:
                older.setdefault(key, []).append(sheet)
                by_rule[sheet.rule_version_id].older_count += 1
        for key, sheet in current.items():
            sheet.older = older.get(key, [])
        return render(
            request,
            self.template_name,
            {
                "title": _("Criteria and score sheets"),
                "rules": rules,
                "can_publish": has_perm(request.user, PUBLISH_PERMISSION),
            },
        )


class SheetDetailView(ReadMixin, View):
    template_name = "evaluation/sheet_detail.html"

    def get(self, request, pk):
        sheet = get_object_or_404(
            ScoreSheet.objects.select_related("rule_version", "product_set", "superseded_by"), pk=pk
        )
        loaded = sheets.load_tree(sheet)
        tree = sheets.export_sheet(sheet, loaded)
        parts = {p.code: p for p in loaded.parts}
        sections = [
            {
                "code": s["code"],
                "label": s["label"],
                "max_score": _num(s["max_score"]),
                "attainable": _num(parts[s["code"]].attainable),
                "differs": parts[s["code"]].attainable != parts[s["code"]].max_score,
                "rows": tree_rows(s),
            }
            for s in tree["sections"]
        ]
        versions = list(
            ScoreSheet.objects.filter(rule_version_id=sheet.rule_version_id, code=sheet.code)
            .only("id", "version", "published_at", "note", "superseded_by_id", "discrepancies")
            .order_by("-version")
        )
        from ocop.audit.selectors import history_for

        usage = {
            "entries": sheet.entries.count(),
            "scorecards": sheet.scorecards.count(),
            "results": sheet.results.count(),
        }
        return render(
            request,
            self.template_name,
            {
                "title": sheet.name,
                "sheet": sheet,
                "rule": sheet.rule_version,
                "sections": sections,
                "minimums": _minimum_rows(tree),
                "disqualifiers": tree["disqualifiers"],
                "versions": versions,
                "latest": versions[0] if versions else sheet,
                "usage": usage,
                "used": any(usage.values()),
                "history": history_for(sheet),
                "can_publish": has_perm(request.user, PUBLISH_PERMISSION),
                "criteria_count": len(loaded.criteria),
                "scored_count": sum(1 for c in loaded.criteria if c.is_scorable),
            },
        )


class SheetExportView(ReadMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in ("json", "xlsx"):
            raise Http404
        sheet = get_object_or_404(ScoreSheet.objects.select_related("rule_version", "product_set"), pk=pk)
        basename = f"{sheet.rule_version.code}-{sheet.code}-v{sheet.version}"
        if fmt == "json":
            body = json.dumps(sheets.export_sheet(sheet), ensure_ascii=False, indent=2) + "\n"
            response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
        else:
            response = HttpResponse(sheet_io.build_xlsx(sheet), content_type=XLSX_MIME)
        response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
        return response


# --- Import and publish ------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    rule_version = forms.ModelChoiceField(
        label=gettext_lazy("Rule version"),
        queryset=RuleVersion.objects.order_by("-effective_from"),
        to_field_name="code",
        empty_label=None,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A score sheet exported from this page, as an Excel workbook (.xlsx) or JSON, at most 2 MB."
        ),
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was corrected"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept with the new version and shown in its history."),
    )
    allow_discrepancy = forms.BooleanField(
        label=gettext_lazy(
            "Publish this historical sheet with its discrepancies recorded and shown (not corrected)"
        ),
        required=False,
    )


def _rule_in_force():
    today = timezone.localdate()
    return (
        RuleVersion.objects.filter(effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .order_by("-effective_from")
        .first()
    )


class SheetImportView(PublishMixin, View):
    template_name = "evaluation/sheet_import.html"

    def context(self, form):
        return {
            "title": _("Import a score sheet"),
            "form": form,
            "max_mb": sheet_io.MAX_BYTES // (1024 * 1024),
        }

    def get(self, request):
        rule = RuleVersion.objects.filter(code=request.GET.get("rule") or "").first() or _rule_in_force()
        form = UploadForm(initial={"rule_version": rule.code if rule else None})
        return render(request, self.template_name, self.context(form))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            rule = form.cleaned_data["rule_version"]
            if upload.size > sheet_io.MAX_BYTES:
                form.add_error(
                    "file",
                    ValidationError(
                        _("The file is larger than %(mb)s MB: a score sheet is far smaller. Check the file.")
                        % {"mb": sheet_io.MAX_BYTES // (1024 * 1024)},
                        code="too_large",
                    ),
                )
            else:
                content = upload.read()
                parsed = sheet_io.read_upload(content)
                if parsed.fatal:
                    for problem in parsed.problems:
                        form.add_error("file", ValidationError(str(problem), code=problem.code))
                else:
                    stored = sheet_io.StoredSheet.create(
                        request.user, content, upload.name, rule, parsed.format
                    )
                    return redirect("evaluation:sheet_import_preview", token=stored.token)
        return render(request, self.template_name, self.context(form), status=400)


class _StoredMixin(PublishMixin):
    @staticmethod
    def stored_or_404(request, token) -> tuple[sheet_io.StoredSheet, RuleVersion]:
        stored = sheet_io.StoredSheet.load(str(token), request.user)
        if stored is None:
            raise Http404
        rule = (
            RuleVersion.objects.filter(code=stored.state.get("rule"))
            .select_related("category_scheme")
            .first()
        )
        if rule is None:
            raise Http404
        return stored, rule


class SheetImportPreviewView(_StoredMixin, View):
    template_name = "evaluation/sheet_import_preview.html"

    def get(self, request, token, form=None, status=200):
        stored, rule = self.stored_or_404(request, token)
        if stored.state.get("state") == "published":
            sheet = ScoreSheet.objects.filter(pk=stored.state.get("sheet_id")).first()
            if sheet is not None:
                return redirect("evaluation:sheet_detail", sheet.pk)
        content = stored.read()
        if content is None:
            raise Http404
        prepared = sheet_io.prepare(rule, content)
        tree = prepared.check.sheet if prepared.check else None
        sections = []
        if tree is not None:
            for s in tree["sections"]:
                attainable = prepared.check.attainable.get(s["code"])
                sections.append(
                    {
                        "code": s["code"],
                        "label": s["label"],
                        "max_score": _num(s["max_score"]),
                        "attainable": _num(attainable),
                        "differs": attainable is not None and attainable != s["max_score"],
                        "rows": tree_rows(s),
                    }
                )
        allow_possible = prepared.may_record_discrepancies
        context = {
            "title": _("Import a score sheet: preview"),
            "stored": stored.state,
            "token": stored.token,
            "rule": rule,
            "prepared": prepared,
            "file_problems": [p.as_dict() for p in prepared.file_problems],
            "problems": prepared.problems,
            "discrepancies": prepared.discrepancies,
            "ignored": prepared.check.ignored if prepared.check else [],
            "tree": tree,
            "sections": sections,
            "disqualifiers": tree["disqualifiers"] if tree else [],
            "minimums": _minimum_rows(tree) if tree else [],
            "diff": prepared.diff,
            "current": prepared.current,
            "next_version": (prepared.current.version + 1) if prepared.current else 1,
            "can_publish": not prepared.blocked(allow_discrepancy=allow_possible),
            "allow_possible": allow_possible,
            "form": form or PublishForm(),
        }
        return render(request, self.template_name, context, status=status)


class SheetPublishView(_StoredMixin, View):
    def post(self, request, token):
        stored, rule = self.stored_or_404(request, token)
        if stored.state.get("state") == "published":
            return redirect("evaluation:sheet_import_preview", token=stored.token)
        content = stored.read()
        if content is None:
            raise Http404
        form = PublishForm(request.POST)
        if not form.is_valid():
            return SheetImportPreviewView().get(request, token, form=form, status=400)
        prepared = sheet_io.prepare(rule, content)  # the stored file, checked again
        try:
            sheet = sheet_io.publish(
                prepared,
                request.user,
                note=form.cleaned_data["note"],
                allow_discrepancy=form.cleaned_data["allow_discrepancy"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return SheetImportPreviewView().get(request, token, form=form, status=400)
        stored.update(state="published", sheet_id=sheet.pk)
        stored.data_path.unlink(missing_ok=True)
        messages.success(
            request,
            _("Version %(v)s of “%(name)s” is published.") % {"v": sheet.version, "name": sheet.name},
        )
        return redirect(reverse("evaluation:sheet_detail", args=[sheet.pk]))
