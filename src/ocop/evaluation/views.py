"""Screens of the evaluation: councils, sessions, the products in a session, scoring, results.

Reads go through `for_user` (council members reach their councils' sessions by membership);
writes call the services, which check the council roles (chair, secretary) themselves."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.selectors import has_perm
from ocop.core.views import ObjectDetailView, ObjectListView, ServiceFormView, require_perm
from ocop.core.views import error_text as _errors
from ocop.core.views import form_data as _valid
from ocop.core.views import run_service as _run

from . import scoring, selectors, services
from .choices import SessionState
from .filters import CouncilFilterSet, ResultFilterSet, SessionFilterSet
from .forms import (
    AddProductForm,
    AdvisorForm,
    AnswerForm,
    CouncilForm,
    DecisionForm,
    DisqualifyForm,
    MemberForm,
    ReasonForm,
    ReviewForm,
    SessionForm,
)
from .models import (
    AdvisoryMember,
    AdvisoryReview,
    Council,
    CouncilMember,
    EvaluationResult,
    EvaluationSession,
    Scorecard,
    SessionProduct,
)
from .tables import CouncilTable, ResultTable, SessionTable

# --- my work -------------------------------------------------------------------------------------


class MyWorkView(LoginRequiredMixin, View):
    """A council member's products to score, in the open sessions of their councils."""

    def get(self, request):
        return render(
            request,
            "evaluation/my_work.html",
            {"title": _("My scoring"), "items": selectors.my_work(request.user)},
        )


# --- councils ------------------------------------------------------------------------------------


class CouncilListView(ObjectListView):
    model = Council
    table_class = CouncilTable
    filterset_class = CouncilFilterSet
    title = gettext_lazy("Councils")
    export_name = "hoi-dong-danh-gia"
    add_url_name = "evaluation:council_create"
    add_permission = "evaluation.add_council"

    def get_queryset(self, request):
        return selectors.councils_for_list(request.user)


class CouncilDetailView(ObjectDetailView):
    model = Council
    template_name = "evaluation/council_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def extra_context(self, request, obj):
        can_change = services.may(request.user, "evaluation.change_council", obj.area)
        return {
            "members": list(obj.members.select_related("user").order_by("-is_active", "sort_order", "pk")),
            "advisors": list(obj.advisors.filter(is_active=True).select_related("user")),
            "sessions": list(obj.sessions.select_related("rule_version").order_by("-date")[:50]),
            "can_change": can_change,
            "can_add_session": services.may(request.user, "evaluation.add_evaluationsession", obj.area),
            "member_form": MemberForm(user=request.user) if can_change else None,
            "advisor_form": AdvisorForm(user=request.user) if can_change else None,
        }


class CouncilCreateView(ServiceFormView):
    form_class = CouncilForm
    title = gettext_lazy("New council")

    def get_object(self, request, pk):
        require_perm(request.user, "evaluation.add_council")
        return None

    def call_service(self, request, obj, form):
        return services.create_council(request.user, form.cleaned_data)


class CouncilEditView(ServiceFormView):
    form_class = CouncilForm

    def get_object(self, request, pk):
        return get_object_or_404(Council.objects.for_user(request.user, "change"), pk=pk)

    def call_service(self, request, obj, form):
        return services.update_council(request.user, obj, form.cleaned_data)


class MemberAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        council = get_object_or_404(Council.objects.for_user(request.user, "change"), pk=pk)
        form = MemberForm(request.POST, user=request.user)
        _run(request, lambda: services.add_member(request.user, council, _valid(form)), _("Member added."))
        return redirect(council.get_absolute_url())


class MemberEditView(ServiceFormView):
    title = gettext_lazy("Council member")

    def get_object(self, request, pk):
        councils = Council.objects.for_user(request.user, "change")
        return get_object_or_404(CouncilMember.objects.filter(council__in=councils), pk=pk)

    def get_form(self, request, obj, data=None):
        return MemberForm(data, instance=obj, user=request.user)

    def call_service(self, request, obj, form):
        services.update_member(request.user, obj, form.cleaned_data)
        return obj.council


class AdvisorAddView(LoginRequiredMixin, View):
    def post(self, request, pk, advisor_id=None):
        council = get_object_or_404(Council.objects.for_user(request.user, "change"), pk=pk)
        if advisor_id is not None:
            advisor = get_object_or_404(AdvisoryMember, council=council, pk=advisor_id)
            _run(request, lambda: services.deactivate_advisor(request.user, advisor), _("Removed."))
        else:
            form = AdvisorForm(request.POST, user=request.user)
            _run(request, lambda: services.add_advisor(request.user, council, _valid(form)), _("Added."))
        return redirect(council.get_absolute_url())


# --- sessions ------------------------------------------------------------------------------------


class SessionListView(ObjectListView):
    model = EvaluationSession
    table_class = SessionTable
    filterset_class = SessionFilterSet
    title = gettext_lazy("Evaluation sessions")
    export_name = "phien-danh-gia"
    add_url_name = "evaluation:session_create"
    add_permission = "evaluation.add_evaluationsession"

    def get_queryset(self, request):
        return selectors.sessions_for_list(request.user)


def _session(request, pk) -> EvaluationSession:
    return get_object_or_404(
        EvaluationSession.objects.for_user(request.user, "view").select_related(
            "council", "council__area", "rule_version"
        ),
        pk=pk,
    )


class SessionDetailView(ObjectDetailView):
    model = EvaluationSession
    template_name = "evaluation/session_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("council", "council__area", "rule_version")

    def extra_context(self, request, obj):
        entries = list(selectors.entries_of(obj))
        members = list(obj.council.members.filter(is_active=True).select_related("user"))
        scorers = [m for m in members if m.scores]
        manage = services.may_manage_session(request.user, obj)
        prepare = services.may(request.user, "evaluation.change_evaluationsession", obj.council.area)
        attendance = {a.member_id: a for a in obj.attendance.all()}
        grid = selectors.progress(obj, entries, scorers)
        context = {
            "entries": [(e, grid[e.pk]) for e in entries],
            "members": members,
            "scorers": scorers,
            "attendance": [(m, attendance.get(m.pk)) for m in members],
            "manage": manage,
            "prepare": prepare,
            "presiding": selectors.is_presiding(request.user, obj),
            "member": selectors.membership(request.user, obj.council_id),
            "closed_any": any(not e.is_open for e in entries),
        }
        if prepare and obj.state != SessionState.CLOSED:
            products = _assignable_products(request.user, obj)
            context["add_form"] = AddProductForm(session=obj, products=products)
        return context


def _assignable_products(user, session):
    """Products the office may assign: in its scope and the council's area, not yet in the session."""
    from ocop.registry.models import Product

    products = Product.objects.for_user(user, "view")
    area = session.council.area
    if area is not None:
        products = products.filter(
            Q(commune__path__startswith=area.path)
            | Q(commune__current_path__startswith=area.path)
            | Q(producer__commune__path__startswith=area.path)
            | Q(producer__commune__current_path__startswith=area.path)
        )
    return (
        products.exclude(evaluations__session=session).select_related("producer", "commune").order_by("name")
    )


class SessionCreateView(ServiceFormView):
    form_class = SessionForm
    title = gettext_lazy("New evaluation session")

    def get_object(self, request, pk):
        require_perm(request.user, "evaluation.add_evaluationsession")
        return None

    def get_form(self, request, obj, data=None):
        initial = {"council": request.GET.get("council")} if data is None else None
        return SessionForm(data, instance=obj, user=request.user, initial=initial)

    def call_service(self, request, obj, form):
        return services.create_session(request.user, form.cleaned_data)


class SessionEditView(ServiceFormView):
    form_class = SessionForm

    def get_object(self, request, pk):
        return get_object_or_404(EvaluationSession.objects.for_user(request.user, "change"), pk=pk)

    def get_form(self, request, obj, data=None):
        return SessionForm(data, instance=obj, user=request.user)

    def call_service(self, request, obj, form):
        return services.update_session(request.user, obj, form.cleaned_data)


class SessionActionView(LoginRequiredMixin, View):
    """POST: add a product, record attendance, open or close the session."""

    def post(self, request, pk, action):
        session = _session(request, pk)
        user = request.user
        if action == "add":
            form = AddProductForm(request.POST, session=session, products=_assignable_products(user, session))
            _run(request, lambda: services.add_product(user, session, _valid(form)), _("Product added."))
        elif action == "attendance":
            members = session.council.members.filter(is_active=True)
            present = {m.pk: f"present-{m.pk}" in request.POST for m in members}
            notes = {m.pk: request.POST.get(f"note-{m.pk}", "")[:255] for m in members}
            _run(
                request,
                lambda: services.set_attendance(user, session, present, notes),
                _("Attendance saved."),
            )
        elif action == "open":
            _run(request, lambda: services.open_session(user, session), _("Scoring is open."))
        elif action == "close":
            _run(request, lambda: services.close_session(user, session), _("The session is closed."))
        else:
            raise Http404
        return redirect(session.get_absolute_url())


class SessionDocumentView(LoginRequiredMixin, View):
    """The minutes (.docx) and the results table (.xlsx) of a session."""

    def get(self, request, pk, fmt):
        from . import documents

        session = _session(request, pk)
        if session.state != SessionState.CLOSED and not services.may_manage_session(request.user, session):
            # Results are not disclosed before the session ends, except to those who run it.
            raise PermissionDenied(_("The documents are available to members when the session is closed."))
        if fmt == "docx":
            content = documents.minutes_docx(session)
            ctype = documents.DOCX_MIME
            name = f"bien-ban-phien-danh-gia-{session.pk}.docx"
        elif fmt == "xlsx":
            content = documents.results_xlsx(session)
            ctype = documents.XLSX_MIME
            name = f"ket-qua-danh-gia-{session.pk}.xlsx"
        else:
            raise Http404
        _audit_download(request, session, name)
        response = HttpResponse(content, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _audit_download(request, obj, name):
    from django.db import transaction

    from ocop.audit import services as audit

    with transaction.atomic():
        audit.record(actor=request.user, action="export", obj=obj, message=name)


# --- a product in a session ----------------------------------------------------------------------


def _entry(request, pk) -> SessionProduct:
    return get_object_or_404(
        SessionProduct.objects.for_user(request.user, "view").select_related(
            "session",
            "session__council",
            "session__council__area",
            "session__rule_version",
            "product",
            "product__producer",
            "product__commune",
            "product__category",
            "sheet",
        ),
        pk=pk,
    )


class EntryDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from ocop.audit.selectors import history_for

        entry = _entry(request, pk)
        session = entry.session
        members = list(session.council.members.filter(is_active=True, scores=True).select_related("user"))
        cells = selectors.progress(session, [entry], members)[entry.pk]
        member = selectors.membership(request.user, session.council_id)
        result = EvaluationResult.objects.filter(entry=entry).first()
        review = AdvisoryReview.objects.filter(entry=entry).first()
        manage = services.may_manage_session(request.user, session)
        is_advisor = session.council.advisors.filter(user=request.user, is_active=True).exists()
        context = {
            "title": str(entry.product),
            "object": entry,
            "entry": entry,
            "session": session,
            "cells": cells,
            "member": member,
            "my_card": Scorecard.objects.filter(entry=entry, member=member).first() if member else None,
            "conflicted": member is not None and entry.conflicts.filter(member=member).exists(),
            "conflicts": list(entry.conflicts.select_related("member")),
            "result": result,
            "review": review,
            "presiding": selectors.is_presiding(request.user, session),
            "manage": manage,
            "prepare": services.may(
                request.user, "evaluation.change_evaluationsession", session.council.area
            ),
            "review_form": ReviewForm(instance=review) if (manage or is_advisor) and entry.is_open else None,
            "disqualifiers": entry.sheet.disqualifiers,
            "can_decide": result is not None
            and result.state == "proposed"
            and has_perm(request.user, "evaluation.approve_evaluationresult", entry.product.commune),
            "decision_form": DecisionForm(),
            "history": history_for(entry),
        }
        return render(request, "evaluation/entry_detail.html", context)


class EntryActionView(LoginRequiredMixin, View):
    """POST: close, disqualify, withdraw, declare a conflict, record the advisory review."""

    def post(self, request, pk, action):
        entry = _entry(request, pk)
        user = request.user
        if action == "close":
            try:
                outcome = services.close_product(user, entry)
            except (ValidationError, PermissionDenied) as exc:  # SpreadExceeded names the outliers
                messages.error(request, _errors(exc))
            else:
                if outcome.referred:
                    messages.warning(
                        request,
                        _(
                            "The written opinions diverge beyond the allowed spread: "
                            "the product goes to a meeting."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("Closed: %(score)s points, %(stars)s★.")
                        % {"score": outcome.result.average, "stars": outcome.result.stars},
                    )
        elif action == "disqualify":
            form = DisqualifyForm(request.POST)
            _run(
                request,
                lambda: services.disqualify_product(user, entry, **_valid(form)),
                _("The dossier is rejected without scoring."),
            )
        elif action == "withdraw":
            form = ReasonForm(request.POST)
            _run(
                request,
                lambda: services.withdraw_product(user, entry, _valid(form)["reason"]),
                _("The product is withdrawn from the session."),
            )
        elif action == "conflict":
            form = ReasonForm(request.POST)
            _run(
                request,
                lambda: services.declare_conflict(user, entry, _valid(form)["reason"]),
                _("Your conflict of interest is recorded; you will not score this product."),
            )
        elif action == "review":
            form = ReviewForm(request.POST)
            _run(request, lambda: services.record_review(user, entry, _valid(form)), _("Saved."))
        elif action == "decide":
            result = get_object_or_404(EvaluationResult.objects.for_user(user, "view"), entry=entry)
            form = DecisionForm(request.POST)

            def decide():
                data = _valid(form)
                return services.decide_result(
                    user,
                    result,
                    approve=data["decision"] == "approve",
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    note=data["note"],
                )

            _run(request, decide, _("The decision is recorded."))
        else:
            raise Http404
        return redirect(entry.get_absolute_url())


# --- scoring -------------------------------------------------------------------------------------


def _card_context(card: Scorecard, tree: scoring.SheetTree, editable: bool) -> dict:
    answers = {a.criterion_id: a for a in card.answers.all()}
    result = scoring.tally(tree, {cid: a.option_id for cid, a in answers.items()})
    marks = _minimum_marks(tree)
    parts = []
    for code, maximum in tree.parts.items():
        nodes = [n for n in tree.nodes if n.part == code]
        parts.append(
            {
                "code": code,
                "title": tree.part_titles.get(code, ""),
                "max": maximum,
                "total": result.parts.get(code),
                "nodes": [_card_node(tree, n, answers.get(n.id), marks.get(n.id, {})) for n in nodes],
            }
        )
    return {
        "card": card,
        "tree": tree,
        "parts": parts,
        "tally": result,
        "open_codes": [(i, tree.keys[i]) for i in result.open],
        "editable": editable,
        "total_max": sum(tree.parts.values()),
    }


def _card_node(tree: scoring.SheetTree, node, answer, marks: dict[int, list[int]]) -> dict:
    """A criterion as the scorecard shows it, its options' points formatted and star marks joined
    here rather than in the template (the page shows some 150 options)."""
    chosen = answer.option_id if answer is not None else None
    return {
        "node": node,
        "depth": _depth(tree, node) + 1,
        "answer": answer,
        "options": [
            {
                "id": oid,
                "label": label,
                "points": points,
                "points_text": floatformat(points, "-2"),
                "stars": marks.get(oid, []),
                "checked": oid == chosen,
            }
            for oid, label, points in node.options
        ],
        "max_text": floatformat(node.max_score, "-2"),
    }


def _minimum_marks(tree: scoring.SheetTree) -> dict[int, dict[int, list[int]]]:
    """{criterion id: {option id: [stars]}}: the option each star needs at least (***, ****, *****)."""
    marks: dict[int, dict[int, list[int]]] = {}
    for minimum in tree.star_minimums:
        node = tree.by_code.get(str(minimum["criterion"]))
        if node is None or not node.is_scorable:
            continue
        needed = Decimal(str(minimum["min_points"]))
        option = next((o for o in node.options if o[2] == needed), None)
        if option is not None:
            marks.setdefault(node.id, {}).setdefault(option[0], []).append(int(minimum["stars"]))
    return marks


def _depth(tree, node) -> int:
    depth = 0
    while node.parent_id is not None:
        depth += 1
        node = tree.by_id[node.parent_id]
    return depth


class ScoreView(LoginRequiredMixin, View):
    """The member's own scorecard for a product: created on first visit, saved answer by answer."""

    def get(self, request, pk):
        entry = _entry(request, pk)
        try:
            card = services.scorecard_for(request.user, entry)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(entry.get_absolute_url())
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect(entry.get_absolute_url())
        return redirect("evaluation:scorecard", card.pk)


def _card(request, pk) -> Scorecard:
    """A scorecard the user may read: their own, or — once the product is closed — any card of a
    product they can see."""
    card = get_object_or_404(
        Scorecard.objects.select_related(
            "member", "member__user", "sheet", "entry", "entry__session", "entry__product"
        ),
        pk=pk,
    )
    if card.member.user_id == request.user.pk:
        return card
    visible = SessionProduct.objects.for_user(request.user, "view").filter(pk=card.entry_id).exists()
    if not visible or card.entry.is_open:
        raise Http404
    return card


class ScorecardView(LoginRequiredMixin, View):
    def get(self, request, pk):
        card = _card(request, pk)
        entry = card.entry
        own = card.member.user_id == request.user.pk
        editable = (
            own and not card.is_submitted and entry.is_open and entry.session.state == SessionState.OPEN
        )
        tree = scoring.SheetTree.load(card.sheet)
        context = _card_context(card, tree, editable)
        context.update(
            {
                "title": _("Scorecard: %(product)s") % {"product": entry.product},
                "entry": entry,
                "session": entry.session,
                "own": own,
                "presiding": selectors.is_presiding(request.user, entry.session),
            }
        )
        return render(request, "evaluation/scorecard.html", context)


class AnswerView(LoginRequiredMixin, View):
    """htmx: save one answer; returns the saved mark and the running totals (out of band)."""

    def post(self, request, pk):
        card = get_object_or_404(Scorecard.objects.select_related("member", "sheet"), pk=pk)
        if card.member.user_id != request.user.pk:
            raise Http404
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("The answer is not valid."), status=400)
        data = form.cleaned_data
        tree = scoring.SheetTree.load(card.sheet)
        try:
            card, result = services.save_answer(
                request.user,
                card,
                data["criterion"],
                data["option"],
                comment=data["comment"],
                evidence_url=data["evidence_url"].strip(),
                tree=tree,
            )
        except (ValidationError, PermissionDenied) as exc:
            return HttpResponse(_errors(exc), status=400)
        context = {
            "card": card,
            "tally": result,
            "tree": tree,
            "open_codes": [(i, tree.keys[i]) for i in result.open],
            "total_max": sum(tree.parts.values()),
            "criterion_id": data["criterion"],
            "editable": True,
        }
        return render(request, "evaluation/_answer_saved.html", context)


class ScorecardActionView(LoginRequiredMixin, View):
    """POST: submit (the member) or reopen (the chair, with a reason)."""

    def post(self, request, pk, action):
        if action == "submit":
            card = get_object_or_404(Scorecard.objects.select_related("member"), pk=pk)
            if card.member.user_id != request.user.pk:
                raise Http404
            done = _run(
                request,
                lambda: services.submit_scorecard(request.user, card, request.POST.get("comment")),
                _("Your scorecard is submitted."),
            )
            if done:
                return redirect(card.entry.get_absolute_url())
            return redirect("evaluation:scorecard", card.pk)
        if action == "reopen":
            card = get_object_or_404(
                Scorecard.objects.filter(
                    entry__in=SessionProduct.objects.for_user(request.user, "view")
                ).select_related("member", "entry", "entry__session"),
                pk=pk,
            )
            form = ReasonForm(request.POST)
            _run(
                request,
                lambda: services.reopen_scorecard(request.user, card, _valid(form)["reason"]),
                _("The scorecard is reopened."),
            )
            return redirect(card.entry.get_absolute_url())
        raise Http404


class ScorecardPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from . import documents

        card = _card(request, pk)
        content = documents.scorecard_pdf(card)
        name = f"phieu-danh-gia-{card.pk}.pdf"
        _audit_download(request, card, name)
        response = HttpResponse(content, content_type=documents.PDF_MIME)
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


# --- results -------------------------------------------------------------------------------------


class ResultListView(ObjectListView):
    model = EvaluationResult
    table_class = ResultTable
    filterset_class = ResultFilterSet
    title = gettext_lazy("Evaluation results")
    export_name = "ket-qua-danh-gia"

    def get_queryset(self, request):
        return selectors.results_for_list(request.user)
