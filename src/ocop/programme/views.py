"""Screens of the programme: cycles (steps, rounds), ideas, business plans, dossiers.

Reads go through `for_user` (an object out of scope is a 404); writes call the services, which
check who may do what (the producer's own accounts, the commune's officers, the province)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.selectors import has_perm
from ocop.core.views import ObjectDetailView, ObjectListView, ServiceFormView, require_perm
from ocop.core.views import form_data as _valid
from ocop.core.views import run_service as _run

from . import assessment as self_assessment
from . import completeness, content, selectors, services, uploads
from .choices import DossierState, IdeaState, PlanState, StageState, Step
from .filters import CycleFilterSet, DossierFilterSet, IdeaFilterSet, PlanFilterSet
from .forms import (
    AssignForm,
    CommuneReportForm,
    ContentForm,
    CycleForm,
    DecisionForm,
    DossierStartForm,
    EvidenceForm,
    IdeaForm,
    PlanForm,
    ProvinceReturnForm,
    ReasonForm,
    RoundForm,
    SamplesForm,
    StepForm,
    UploadForm,
)
from .models import (
    BusinessPlan,
    CommuneReport,
    CycleStep,
    Dossier,
    DossierEvidence,
    EvaluationRound,
    PlanAttachment,
    ProductIdea,
    ProgrammeCycle,
)
from .tables import CycleTable, DossierTable, IdeaTable, PlanTable

# --- cycles --------------------------------------------------------------------------------------


class CycleListView(ObjectListView):
    model = ProgrammeCycle
    table_class = CycleTable
    filterset_class = CycleFilterSet
    title = gettext_lazy("OCOP cycles")
    export_name = "chu-trinh-ocop"
    add_url_name = "programme:cycle_create"
    add_permission = "programme.add_programmecycle"

    def get_queryset(self, request):
        return selectors.cycles_for_list(request.user)


class CycleDetailView(ObjectDetailView):
    model = ProgrammeCycle
    template_name = "programme/cycle_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "rule_version")

    def extra_context(self, request, obj):
        from django.db.models import Count

        today = timezone.localdate()
        can_change = services.may(request.user, "programme.change_programmecycle", obj.area)
        steps = list(obj.steps.all())
        rounds = list(obj.rounds.select_related("council").annotate(n_dossiers=Count("dossiers")))
        return {
            "steps": [(s, s.is_overdue(today)) for s in steps],
            "rounds": rounds,
            "can_change": can_change and obj.state != StageState.CLOSED,
            "today": today,
        }


class CycleCreateView(ServiceFormView):
    form_class = CycleForm
    title = gettext_lazy("New OCOP cycle")

    def get_object(self, request, pk):
        require_perm(request.user, "programme.add_programmecycle")
        return None

    def get_form(self, request, obj, data=None):
        return CycleForm(data, initial={"year": timezone.localdate().year})

    def call_service(self, request, obj, form):
        return services.create_cycle(request.user, form.cleaned_data)


class CycleEditView(ServiceFormView):
    form_class = CycleForm

    def get_object(self, request, pk):
        cycle = get_object_or_404(ProgrammeCycle.objects.for_user(request.user, "change"), pk=pk)
        require_perm(request.user, "programme.change_programmecycle", cycle.area)
        return cycle

    def get_form(self, request, obj, data=None):
        return CycleForm(data, instance=obj)

    def call_service(self, request, obj, form):
        return services.update_cycle(request.user, obj, form.cleaned_data)


def _cycle(request, pk) -> ProgrammeCycle:
    """A cycle the user may change (its steps, rounds and state); others are not found."""
    return get_object_or_404(
        ProgrammeCycle.objects.for_user(request.user, "change").select_related("area"), pk=pk
    )


STATE_ACTIONS = {"start": StageState.ACTIVE, "close": StageState.CLOSED}


class CycleActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        cycle = _cycle(request, pk)
        if action not in STATE_ACTIONS:
            raise Http404
        _run(
            request, lambda: services.set_cycle_state(request.user, cycle, STATE_ACTIONS[action]), _("Saved.")
        )
        return redirect(cycle.get_absolute_url())


def _step(request, pk) -> CycleStep:
    cycles = ProgrammeCycle.objects.for_user(request.user, "change")
    return get_object_or_404(
        CycleStep.objects.filter(cycle__in=cycles).select_related("cycle", "cycle__area"), pk=pk
    )


class StepEditView(ServiceFormView):
    form_class = StepForm

    def get_object(self, request, pk):
        step = _step(request, pk)
        require_perm(request.user, "programme.change_programmecycle", step.cycle.area)
        return step

    def context(self, request, obj, form):
        return {"form": form, "object": obj.cycle, "title": f"{obj.cycle} — {obj}"}

    def call_service(self, request, obj, form):
        services.update_step(request.user, obj, form.cleaned_data)
        return obj.cycle


class StepActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        step = _step(request, pk)
        if action not in STATE_ACTIONS:
            raise Http404
        _run(request, lambda: services.set_step_state(request.user, step, STATE_ACTIONS[action]), _("Saved."))
        return redirect(step.cycle.get_absolute_url())


class RoundCreateView(ServiceFormView):
    form_class = RoundForm
    title = gettext_lazy("Extra evaluation round")

    def get_object(self, request, pk):
        cycle = _cycle(request, pk)
        require_perm(request.user, "programme.change_programmecycle", cycle.area)
        return cycle

    def get_form(self, request, obj, data=None):
        return RoundForm(data, user=request.user)

    def context(self, request, obj, form):
        return {"form": form, "object": obj, "title": f"{obj} — {self.title}"}

    def call_service(self, request, obj, form):
        services.add_round(request.user, obj, form.cleaned_data)
        return obj


class RoundActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        cycles = ProgrammeCycle.objects.for_user(request.user, "change")
        round_ = get_object_or_404(
            EvaluationRound.objects.filter(cycle__in=cycles).select_related("cycle"), pk=pk
        )
        actions = {"open": StageState.ACTIVE, "close": StageState.CLOSED}
        if action not in actions:
            raise Http404
        _run(request, lambda: services.set_round_state(request.user, round_, actions[action]), _("Saved."))
        return redirect(round_.cycle.get_absolute_url())


# --- ideas ---------------------------------------------------------------------------------------


class IdeaListView(ObjectListView):
    model = ProductIdea
    table_class = IdeaTable
    filterset_class = IdeaFilterSet
    title = gettext_lazy("Product ideas")
    export_name = "y-tuong-san-pham"
    add_url_name = "programme:idea_create"

    def get_queryset(self, request):
        return selectors.ideas_for_list(request.user)


class IdeaDetailView(ObjectDetailView):
    model = ProductIdea
    template_name = "programme/idea_detail.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "commune", "producer", "category", "existing_product", "cycle", "filed_by", "reviewed_by"
            )
        )

    def extra_context(self, request, obj):
        plan = BusinessPlan.objects.filter(idea=obj).first()
        return {
            "plan": plan,
            "can_edit": obj.state in services.IDEA_EDITABLE and services._may_edit_idea(request.user, obj),
            "can_review": obj.state == IdeaState.SUBMITTED
            and services.may(request.user, "programme.review_productidea", obj.commune),
            "decision_form": DecisionForm(),
        }


class IdeaCreateView(ServiceFormView):
    form_class = IdeaForm
    template_name = "programme/idea_form.html"
    title = gettext_lazy("New product idea")

    def get_form(self, request, obj, data=None):
        from ocop.registry.selfservice import own_producers

        own = list(own_producers(request.user)[:2])
        initial = {"producer": own[0].pk} if len(own) == 1 else {}
        return IdeaForm(data, user=request.user, initial=initial)

    def call_service(self, request, obj, form):
        return services.create_idea(request.user, form.cleaned_data, submit="submit" in request.POST)


def _idea(request, pk) -> ProductIdea:
    return get_object_or_404(
        ProductIdea.objects.for_user(request.user, "view").select_related("commune", "producer"), pk=pk
    )


class IdeaEditView(ServiceFormView):
    form_class = IdeaForm

    def get_object(self, request, pk):
        idea = _idea(request, pk)
        if not services._may_edit_idea(request.user, idea):
            raise PermissionDenied
        return idea

    def get_form(self, request, obj, data=None):
        return IdeaForm(data, instance=obj, user=request.user)

    def call_service(self, request, obj, form):
        return services.update_idea(request.user, obj, form.cleaned_data)


class IdeaActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        idea = _idea(request, pk)
        if action == "submit":
            _run(
                request,
                lambda: services.submit_idea(request.user, idea),
                _("The idea is submitted to the commune."),
            )
        elif action == "review":
            form = DecisionForm(request.POST)

            def review():
                data = _valid(form)
                return services.review_idea(request.user, idea, data["decision"], data["reason"])

            _run(request, review, _("The decision is recorded."))
        else:
            raise Http404
        return redirect(idea.get_absolute_url())


# --- business plans ------------------------------------------------------------------------------


class PlanListView(ObjectListView):
    model = BusinessPlan
    table_class = PlanTable
    filterset_class = PlanFilterSet
    title = gettext_lazy("Business plans")
    export_name = "phuong-an-san-xuat-kinh-doanh"

    def get_queryset(self, request):
        return selectors.plans_for_list(request.user)


class PlanDetailView(ObjectDetailView):
    model = BusinessPlan
    template_name = "programme/plan_detail.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("commune", "producer", "product", "category", "idea", "filed_by", "reviewed_by")
        )

    def extra_context(self, request, obj):
        can_edit = obj.state in services.PLAN_EDITABLE and services._may_edit_plan(request.user, obj)
        dossiers = list(obj.dossiers.order_by("-created_at"))
        can_start = (
            obj.state == PlanState.ACCEPTED
            and obj.product_id is not None
            and not dossiers
            and (
                services.is_own(request.user, obj.producer)
                or services.may(request.user, "programme.add_dossier", obj.commune)
            )
        )
        return {
            "attachments": list(obj.attachments.select_related("uploaded_by")),
            "dossiers": dossiers,
            "can_edit": can_edit,
            "can_review": obj.state == PlanState.SUBMITTED
            and services.may(request.user, "programme.review_businessplan", obj.commune),
            "can_start": can_start,
            "decision_form": DecisionForm(allow_reject=False),
            "upload_form": UploadForm(),
            "max_mb": uploads.max_bytes() // (1024 * 1024),
        }


def _plan(request, pk) -> BusinessPlan:
    return get_object_or_404(
        BusinessPlan.objects.for_user(request.user, "view").select_related("commune", "producer", "product"),
        pk=pk,
    )


class PlanEditView(ServiceFormView):
    form_class = PlanForm

    def get_object(self, request, pk):
        plan = _plan(request, pk)
        if not services._may_edit_plan(request.user, plan):
            raise PermissionDenied
        return plan

    def get_form(self, request, obj, data=None):
        return PlanForm(data, instance=obj, user=request.user)

    def call_service(self, request, obj, form):
        return services.update_plan(request.user, obj, form.cleaned_data)


class PlanActionView(LoginRequiredMixin, View):
    """POST: submit, review, attach a file, remove an attachment, start the dossier."""

    def post(self, request, pk, action, attachment_id=None):
        plan = _plan(request, pk)
        user = request.user
        if action == "submit":
            _run(
                request, lambda: services.submit_plan(user, plan), _("The plan is submitted to the commune.")
            )
        elif action == "review":
            form = DecisionForm(request.POST, allow_reject=False)

            def review():
                data = _valid(form)
                return services.review_plan(user, plan, data["decision"], data["reason"])

            _run(request, review, _("The decision is recorded."))
        elif action == "attach":
            form = UploadForm(request.POST, request.FILES)

            def attach():
                if not form.is_valid():
                    raise ValidationError(_("Choose a file to upload."))
                return services.add_plan_attachment(
                    user, plan, form.cleaned_data["file"], form.cleaned_data["title"]
                )

            _run(request, attach, _("Attached."))
        elif action == "detach" and attachment_id is not None:
            _run(request, lambda: services.remove_plan_attachment(user, plan, attachment_id), _("Removed."))
        elif action == "dossier":
            dossier = _run(
                request,
                lambda: services.start_dossier(user, {"business_plan": plan, "kind": "first"}),
                _("The dossier is started."),
            )
            if isinstance(dossier, Dossier):
                return redirect(dossier.get_absolute_url())
        else:
            raise Http404
        return redirect(plan.get_absolute_url())


class PlanAttachmentFileView(LoginRequiredMixin, View):
    """Streams an attachment of a plan the user may see."""

    def get(self, request, pk, attachment_id):
        plan = _plan(request, pk)
        attachment = get_object_or_404(PlanAttachment, plan=plan, pk=attachment_id)
        return uploads.stream(attachment, download_name=attachment.original_name)


# --- dossiers ------------------------------------------------------------------------------------


class DossierListView(ObjectListView):
    model = Dossier
    table_class = DossierTable
    filterset_class = DossierFilterSet
    template_name = "programme/dossier_list.html"
    title = gettext_lazy("Product dossiers")
    export_name = "ho-so-san-pham"
    add_url_name = "programme:dossier_create"

    def get_queryset(self, request):
        return selectors.dossiers_for_list(request.user)

    def extra_context(self, request):
        from .selectors import overdue_q

        queryset = selectors.dossiers_for_list(request.user)
        today = timezone.localdate()
        return {"n_overdue": queryset.filter(overdue_q(today)).count()}


def _dossier(request, pk) -> Dossier:
    return get_object_or_404(
        Dossier.objects.for_user(request.user, "view").select_related(
            "product",
            "product__category",
            "product__category__parent",
            "product__category__parent__parent",
            "producer",
            "commune",
            "round",
            "round__cycle",
            "entry",
            "entry__session",
            "entry__session__council",
            "entry__result",
            "certificate",
            "previous",
            "business_plan",
            "accepted_version",
        ),
        pk=pk,
    )


def _evidence_counts(evidence) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in evidence:
        if e.criterion_key:
            counts[e.criterion_key] = counts.get(e.criterion_key, 0) + 1
    return counts


class DossierDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        dossier = _dossier(request, pk)
        user = request.user
        today = timezone.localdate()
        versions = selectors.versions_of(dossier)
        version = versions[-1]
        evidence = selectors.evidence_of(version)
        result = self_assessment.evaluate(version, _evidence_counts(evidence))
        problems = completeness.problems(
            dossier,
            version,
            today,
            parts=("producer", "commune") if dossier.state != DossierState.DRAFT else ("producer",),
            evidence=evidence,
        )
        base = dossier.previous.accepted_version if dossier.previous_id else None
        diff = content.diff_versions(base, version, new_evidence=evidence) if base is not None else None
        report = CommuneReport.objects.filter(dossier=dossier).first()
        review = None
        if dossier.entry_id:
            from ocop.evaluation.models import AdvisoryReview

            review = AdvisoryReview.objects.filter(entry_id=dossier.entry_id).first()
        can_edit = services.may_edit_dossier(user, dossier)
        commune = services.may(user, "programme.commune_dossier", dossier.commune)
        province = services.may(user, "programme.province_dossier", dossier.commune)
        context = {
            "title": f"{dossier.code} — {dossier.product.name}",
            "object": dossier,
            "dossier": dossier,
            "standing": selectors.standing(dossier, today),
            "versions": versions,
            "version": version,
            "evidence": evidence,
            "assessment": result,
            "problems": problems,
            "diff": diff,
            "base": base,
            "report": report,
            "review": review,
            "events": list(dossier.events.select_related("actor", "version")),
            "content_rows": _content_rows(dossier, version),
            "can_edit": can_edit and dossier.state in (DossierState.DRAFT, DossierState.RETURNED),
            "can_submit": can_edit
            and dossier.state in (DossierState.DRAFT, DossierState.RETURNED)
            and not version.sealed,
            "can_recall": can_edit
            and version.sealed
            and (
                dossier.state == DossierState.RETURNED
                or (dossier.state == DossierState.AT_COMMUNE and services.may_recall(user, dossier))
            ),
            "can_withdraw": can_edit and dossier.state not in (DossierState.ASSIGNED, DossierState.WITHDRAWN),
            "commune_step": commune and dossier.state == DossierState.AT_COMMUNE,
            "province_step": province and dossier.state in (DossierState.AT_PROVINCE, DossierState.ACCEPTED),
            "can_assign": province
            and (
                dossier.state == DossierState.ACCEPTED
                or (
                    dossier.state == DossierState.ASSIGNED
                    and dossier.entry_id
                    and dossier.entry.state == "withdrawn"
                )
            ),
            "evidence_form": EvidenceForm(criteria=_criteria_choices(version)),
            "samples_form": SamplesForm(initial={"count": dossier.samples_received}),
            "reason_form": ReasonForm(),
            "return_form": ProvinceReturnForm(),
            "tourism": completeness.is_community_tourism(dossier.product.category),
            "documents": DOCUMENTS,
            "today": today,
            "history": _dossier_history(dossier),
        }
        if context["can_assign"]:
            context["assign_form"] = AssignForm(
                rounds=_open_rounds(dossier), sessions=_sessions(user, dossier)
            )
        return render(request, "programme/dossier_detail.html", context)


def _content_rows(dossier, version):
    from .forms import GENDERS

    genders = dict(GENDERS)
    body = version.content or {}
    rows = []
    for code, label in content.PARTS.items():
        fields = [f for f in content.fields_for(dossier.kind) if f.part == code]
        rows.append(
            (
                label,
                [
                    (
                        f.label,
                        genders.get(body.get(f.key) or "", "") if f.widget == "gender" else body.get(f.key),
                        f.widget,
                    )
                    for f in fields
                ],
            )
        )
    return rows


def _dossier_history(dossier):
    """The audit history, the content's keys shown by their labels."""
    from ocop.audit.selectors import history_for

    history = history_for(dossier)
    for event in history:
        event.rows = [(content.label_of(label), before, after) for label, before, after in event.rows]
    return history


def _criteria_choices(version):
    if version.sheet_id is None:
        return []
    from ocop.evaluation.scoring import SheetTree

    tree = SheetTree.load(version.sheet)
    return [(tree.keys[n.id], f"{tree.keys[n.id]} {n.label[:80]}") for n in tree.scorable]


def _open_rounds(dossier):
    from django.db.models import Q

    unit = dossier.commune
    paths = [p for p in (unit.path, unit.current_path) if p]
    q = Q(cycle__area__isnull=True)
    for path in paths:
        parts = path.strip("/").split("/")
        q |= Q(cycle__area__path__in=["/".join(parts[:i]) + "/" for i in range(2, len(parts) + 1)])
    return (
        EvaluationRound.objects.filter(q, state=StageState.ACTIVE)
        .select_related("cycle")
        .order_by("evaluate_before")
    )


def _sessions(user, dossier):
    from ocop.evaluation.choices import SessionState
    from ocop.evaluation.models import EvaluationSession

    return (
        EvaluationSession.objects.for_user(user, "change")
        .exclude(state=SessionState.CLOSED)
        .select_related("council")
        .order_by("date")
    )


class DossierCreateView(ServiceFormView):
    form_class = DossierStartForm
    title = gettext_lazy("New dossier")

    def get_form(self, request, obj, data=None):
        initial = {k: request.GET[k] for k in ("product", "kind") if request.GET.get(k)}
        return DossierStartForm(data, user=request.user, initial=initial)

    def call_service(self, request, obj, form):
        return services.start_dossier(request.user, form.cleaned_data)


class DossierEditView(LoginRequiredMixin, View):
    """The producer's text of the draft version (Mẫu 01 and Mẫu 02), part by part."""

    template_name = "programme/dossier_edit.html"

    def _get(self, request, pk):
        dossier = _dossier(request, pk)
        if not services.may_edit_dossier(request.user, dossier):
            raise PermissionDenied
        return dossier

    def get(self, request, pk):
        dossier = self._get(request, pk)
        if dossier.state not in (DossierState.DRAFT, DossierState.RETURNED):
            messages.error(
                request,
                _("The dossier has been filed: it can only change when it is returned for completion."),
            )
            return redirect(dossier.get_absolute_url())
        version = services.latest_version(dossier)
        form = ContentForm(kind=dossier.kind, initial_content=version.content)
        return self._render(request, dossier, version, form)

    def _render(self, request, dossier, version, form, status=200):
        return render(
            request,
            self.template_name,
            {"title": f"{dossier.code} — {_('Edit')}", "object": dossier, "form": form, "version": version},
            status=status,
        )

    def post(self, request, pk):
        dossier = self._get(request, pk)
        version = services.latest_version(dossier)
        form = ContentForm(request.POST, kind=dossier.kind, initial_content=version.content)
        if form.is_valid():
            try:
                services.update_draft(request.user, dossier, form.cleaned_data)
            except ValidationError as exc:
                from ocop.accounts.forms import apply_service_errors

                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(dossier.get_absolute_url())
        return self._render(request, dossier, version, form, status=400)


class AssessmentView(LoginRequiredMixin, View):
    """Mẫu 02, Part III: the producer scores themselves on the council's sheet and sees where points
    are missing. GET shows it (any version with ?version=n); POST saves the draft's answers."""

    def get(self, request, pk):
        dossier = _dossier(request, pk)
        versions = selectors.versions_of(dossier)
        number = request.GET.get("version", "")
        version = next((v for v in versions if str(v.number) == number), versions[-1])
        evidence = selectors.evidence_of(version)
        result = self_assessment.evaluate(version, _evidence_counts(evidence))
        editable = (
            not version.sealed
            and dossier.state in (DossierState.DRAFT, DossierState.RETURNED)
            and services.may_edit_dossier(request.user, dossier)
        )
        return render(
            request,
            "programme/dossier_assessment.html",
            {
                "title": f"{dossier.code} — {_('Self-assessment')}",
                "object": dossier,
                "dossier": dossier,
                "version": version,
                "assessment": result,
                "editable": editable,
                "evidence_by_key": _by_key(evidence),
            },
        )

    def post(self, request, pk):
        dossier = _dossier(request, pk)
        version = services.latest_version(dossier)
        if version.sheet_id is None:
            raise Http404
        from ocop.evaluation.scoring import SheetTree

        tree = SheetTree.load(version.sheet)
        answers = {}
        for node in tree.scorable:
            key = tree.keys[node.id]
            raw = request.POST.get(f"option-{node.id}", "")
            note = request.POST.get(f"note-{node.id}", "")
            if raw == "" and not note and key not in (version.assessment or {}):
                continue
            answers[key] = (int(raw) if raw.isdigit() else None, note)
        _run(request, lambda: services.set_assessment(request.user, dossier, answers), _("Saved."))
        return redirect("programme:dossier_assessment", dossier.pk)


def _by_key(evidence):
    out: dict[str, list] = {}
    for e in evidence:
        out.setdefault(e.criterion_key, []).append(e)
    return out


class EvidenceAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        version = services.latest_version(dossier)
        form = EvidenceForm(request.POST, request.FILES, criteria=_criteria_choices(version))

        def add():
            data = _valid(form)
            upload = data.pop("file", None)
            return services.add_evidence(request.user, dossier, data, upload=upload)

        _run(request, add, _("Attached."))
        target = request.POST.get("next", "")
        if target == "assessment":
            return redirect("programme:dossier_assessment", dossier.pk)
        return redirect(dossier.get_absolute_url())


class EvidenceDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk, evidence_id):
        dossier = _dossier(request, pk)
        _run(request, lambda: services.remove_evidence(request.user, dossier, evidence_id), _("Removed."))
        return redirect(dossier.get_absolute_url())


class EvidenceFileView(LoginRequiredMixin, View):
    """Streams a document of a dossier the user may see (never from a public URL)."""

    def get(self, request, pk, evidence_id):
        dossier = _dossier(request, pk)
        evidence = get_object_or_404(DossierEvidence, version__dossier=dossier, pk=evidence_id)
        if not evidence.file:
            raise Http404
        return uploads.stream(
            evidence, download_name=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1]
        )


class VersionView(LoginRequiredMixin, View):
    """One version as filed, its checksum, and what changed from the version before it."""

    def get(self, request, pk, number):
        dossier = _dossier(request, pk)
        versions = selectors.versions_of(dossier)
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404
        previous = next((v for v in versions if v.number == number - 1), None) or version.based_on
        evidence = selectors.evidence_of(version)
        diff = (
            content.diff_versions(previous, version, new_evidence=evidence) if previous is not None else None
        )
        intact = None
        if version.sealed:
            intact = content.checksum(version, evidence) == version.checksum
        return render(
            request,
            "programme/dossier_version.html",
            {
                "title": f"{dossier.code} — v{version.number}",
                "object": dossier,
                "dossier": dossier,
                "version": version,
                "previous": previous,
                "evidence": evidence,
                "diff": diff,
                "intact": intact,
                "content_rows": _content_rows(dossier, version),
            },
        )


class CommuneReportView(ServiceFormView):
    """The commune's report (Mẫu 03) and its proposal letter."""

    form_class = CommuneReportForm
    title = gettext_lazy("Commune report (Mẫu 03)")

    def get_object(self, request, pk):
        dossier = _dossier(request, pk)
        require_perm(request.user, "programme.commune_dossier", dossier.commune)
        return dossier

    def get_form(self, request, obj, data=None):
        report = CommuneReport.objects.filter(dossier=obj).first()
        initial = {}
        if report is None:
            initial = {
                "report_date": timezone.localdate(),
                "letter_date": timezone.localdate(),
                "idea_origin": "",
            }
        return CommuneReportForm(data, instance=report, initial=initial)

    def context(self, request, obj, form):
        return {"form": form, "object": obj, "title": f"{obj.code} — {self.title}"}

    def call_service(self, request, obj, form):
        services.save_commune_report(request.user, obj, form.cleaned_data)
        return obj


class DossierActionView(LoginRequiredMixin, View):
    """POST: the moves of the dossier (each through its service)."""

    def post(self, request, pk, action):
        dossier = _dossier(request, pk)
        user = request.user
        post = request.POST
        if action == "submit":
            _run(
                request,
                lambda: services.submit_dossier(user, dossier),
                _("The dossier is filed with the commune."),
            )
        elif action == "new-version":
            _run(
                request,
                lambda: services.new_version(user, dossier, post.get("reason", "")),
                _("A new version is started."),
            )
        elif action == "withdraw":
            form = ReasonForm(post)
            _run(
                request,
                lambda: services.withdraw_dossier(user, dossier, _valid(form)["reason"]),
                _("Withdrawn."),
            )
        elif action == "samples":
            form = SamplesForm(post)
            _run(request, lambda: services.record_samples(user, dossier, _valid(form)["count"]), _("Saved."))
        elif action == "commune-return":
            form = ReasonForm(post)
            _run(
                request,
                lambda: services.commune_return(user, dossier, _valid(form)["reason"]),
                _("Returned to the producer."),
            )
        elif action == "propose":
            _run(request, lambda: services.propose(user, dossier), _("Proposed to the province."))
        elif action == "province-return":
            form = ProvinceReturnForm(post)

            def province_return():
                data = _valid(form)
                return services.province_return(user, dossier, data["reason"], data["target"])

            _run(request, province_return, _("Returned for completion."))
        elif action == "accept":
            _run(request, lambda: services.accept_dossier(user, dossier), _("The dossier is complete."))
        elif action == "assign":
            form = AssignForm(
                post,
                rounds=_open_rounds(dossier),
                sessions=_sessions(user, dossier),
                round_required=dossier.kind != "reevaluation",
            )

            def assign():
                data = _valid(form)
                return services.assign_dossier(user, dossier, data["round"], data["session"])

            _run(request, assign, _("The dossier is assigned to the council session."))
        else:
            raise Http404
        return redirect(dossier.get_absolute_url())


DOCUMENTS = {
    "mau-01": gettext_lazy("Registration form (Mẫu 01)"),
    "mau-02": gettext_lazy("Self-assessment report (Mẫu 02)"),
    "mau-03": gettext_lazy("Commune report (Mẫu 03)"),
    "de-nghi": gettext_lazy("Commune's proposal letter"),
}


class DossierDocumentView(LoginRequiredMixin, View):
    """Mẫu 01, 02, 03 and the proposal letter as Word documents filled from the dossier, or the
    same document as PDF (`as_pdf`: to print, sign and file, or to archive as it was sent)."""

    as_pdf = False

    def get(self, request, pk, form):
        from . import documents

        dossier = _dossier(request, pk)
        if form not in DOCUMENTS:
            raise Http404
        versions = selectors.versions_of(dossier)
        number = request.GET.get("version", "")
        version = next((v for v in versions if str(v.number) == number), versions[-1])
        data = documents.render(form, dossier, version)
        name = f"{form}-{dossier.code or dossier.pk}-v{version.number}"
        if self.as_pdf:
            from ocop.core.docx_pdf import docx_to_pdf

            data, name, mime = docx_to_pdf(data, identifier=name.encode()), f"{name}.pdf", "application/pdf"
        else:
            name, mime = f"{name}.docx", documents.DOCX_MIME
        from ocop.audit import services as audit

        with transaction.atomic():
            audit.record(
                actor=user_or_none(request), action="export", obj=dossier, message=name, area=dossier.commune
            )
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def user_or_none(request):
    return request.user if request.user.is_authenticated else None


# --- a producer's own page -----------------------------------------------------------------------


class MyProgrammeView(LoginRequiredMixin, View):
    """A producer account's ideas, plans and dossiers, and its certificates' re-evaluation windows."""

    def get(self, request):
        from ocop.registry.selfservice import expiring_certificates

        today = timezone.localdate()
        dossiers = list(selectors.own_dossiers(request.user))
        certificates = []
        for c in expiring_certificates(request.user):
            opens, closes = services.filing_window(c)
            certificates.append(
                {"certificate": c, "opens": opens, "closes": closes, "open": opens <= today <= closes}
            )
        return render(
            request,
            "programme/my.html",
            {
                "title": _("My OCOP dossiers"),
                "ideas": list(selectors.own_ideas(request.user)[:50]),
                "plans": list(selectors.own_plans(request.user)[:50]),
                "dossiers": [(d, selectors.standing(d, today)) for d in dossiers],
                "certificates": certificates,
                "can_file_idea": True,
                "today": today,
            },
        )


class OverdueView(LoginRequiredMixin, View):
    """What is overdue in the user's scope: dossier steps and steps of the cycles."""

    def get(self, request):
        today = timezone.localdate()
        require_perm(request.user, "programme.view_dossier")
        from .selectors import overdue_q

        dossiers = list(
            selectors.dossiers_for_list(request.user)
            .filter(overdue_q(today))
            .order_by("deadline", "pk")[:500]
        )
        steps = list(selectors.overdue_cycle_steps(today, request.user)[:200])
        return render(
            request,
            "programme/overdue.html",
            {
                "title": _("Overdue"),
                "dossiers": [(d, selectors.standing(d, today), (today - d.deadline).days) for d in dossiers],
                "steps": steps,
                "today": today,
                "can_see_cycles": has_perm(request.user, "programme.view_programmecycle"),
                "step_labels": dict(Step.choices),
            },
        )
