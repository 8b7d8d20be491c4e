"""Pages of the Excel import: upload, template, preview (with progress for large files), confirm.

The uploaded file is kept on the server between the preview and the confirmation (see
`importer.StoredImport`); the confirmation checks the stored file again and never trusts anything
posted back from the preview page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from ocop.accounts.selectors import has_perm
from ocop.core import tasks
from ocop.core.export import XLSX_MIME
from ocop.core.models import TaskProgress

from . import importer

PERMISSION = "registry.import_producer"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file, at most 10 MB and 20,000 rows."),
    )


class ImportMixin(LoginRequiredMixin):
    """Signed in (else the login page) and holding the import permission somewhere (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def stored_or_404(request, token) -> importer.StoredImport:
        stored = importer.StoredImport.load(str(token), request.user)
        if stored is None:
            raise Http404
        return stored


class ImportView(ImportMixin, View):
    template_name = "registry/import.html"

    def context(self, form):
        return {
            "title": _("Import from Excel"),
            "form": form,
            "max_rows": importer.MAX_ROWS,
            "background_rows": importer.BACKGROUND_ROWS,
        }

    def get(self, request):
        return render(request, self.template_name, self.context(UploadForm()))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > importer.MAX_BYTES:
                form.add_error(
                    "file",
                    ValidationError(
                        _("The file is larger than %(mb)s MB. Split it into several files.")
                        % {"mb": importer.MAX_BYTES // (1024 * 1024)},
                        code="too_large",
                    ),
                )
            else:
                data = upload.read()
                try:
                    parsed = importer.parse_file(data)
                except importer.ImportFileError as exc:
                    form.add_error("file", ValidationError(str(exc), code=exc.code))
                else:
                    stored = importer.StoredImport.create(request.user, data, upload.name, parsed)
                    if parsed.row_count > importer.BACKGROUND_ROWS:
                        tasks.start(
                            "ocop.registry.tasks.validate_import",
                            request.user,
                            label=_("Checking %(file)s") % {"file": stored.state["filename"]},
                            token=stored.token,
                            language=get_language(),
                        )
                    else:
                        importer.run_validation(stored, request.user)
                    return redirect("registry:import_preview", token=stored.token)
        return render(request, self.template_name, self.context(form), status=400)


class ImportTemplateView(ImportMixin, View):
    def get(self, request):
        response = HttpResponse(importer.build_template(), content_type=XLSX_MIME)
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-chu-the-san-pham-ocop.xlsx"'
        return response


class ImportPreviewView(ImportMixin, View):
    template_name = "registry/import_preview.html"

    def get(self, request, token):
        stored = self.stored_or_404(request, token)
        state = stored.state
        progress = None
        if state.get("progress_id"):
            tasks_of_user = TaskProgress.objects.for_user(request.user, "view")
            progress = tasks_of_user.filter(pk=state["progress_id"]).first()
        status = state.get("state")
        if status in ("validating", "writing") and progress is not None and progress.state == "failed":
            status = "failed"
        preview = state.get("preview") or {}
        counts = preview.get("counts", {})
        issues = preview.get("issues", [])
        context = {
            "title": _("Import from Excel: preview"),
            "stored": state,
            "token": stored.token,
            "status": status,
            "running": status in ("validating", "writing"),
            "progress": progress,
            "preview": preview,
            "counts": counts,
            "errors": [i for i in issues if i["level"] == "error"],
            "warnings": [i for i in issues if i["level"] != "error"],
            "can_confirm": status == "ready"
            and preview
            and not counts.get("errors")
            and (counts.get("producers_new", 0) + counts.get("products_new", 0)) > 0,
            "outcome": state.get("outcome") or {},
            "error": state.get("error") or (progress.message if status == "failed" and progress else ""),
        }
        return render(request, self.template_name, context)


class ImportConfirmView(ImportMixin, View):
    def post(self, request, token):
        stored = self.stored_or_404(request, token)
        preview = stored.state.get("preview") or {}
        target = reverse("registry:import_preview", kwargs={"token": stored.token})
        if stored.state.get("state") != "ready" or preview.get("counts", {}).get("errors"):
            messages.error(request, _("This import cannot be confirmed."))
            return redirect(target)
        if not stored.claim():
            messages.info(request, _("This import is already being saved."))
            return redirect(target)
        stored.update(state="writing", error="")
        if stored.state.get("rows", 0) > importer.BACKGROUND_ROWS:
            try:
                tasks.start(
                    "ocop.registry.tasks.write_import",
                    request.user,
                    label=_("Importing %(file)s") % {"file": stored.state["filename"]},
                    token=stored.token,
                    language=get_language(),
                )
            except Exception:
                stored.release()
                stored.update(state="ready")
                raise
            return redirect(target)
        outcome = importer.run_write(stored, request.user)
        if outcome.get("written"):
            messages.success(
                request,
                _("Imported %(producers)s producers and %(products)s products.")
                % {"producers": outcome["producers_created"], "products": outcome["products_created"]},
            )
        else:
            messages.error(request, stored.state.get("error") or _("Nothing was imported."))
        return redirect(target)
