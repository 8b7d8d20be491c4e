"""Is a dossier complete? (Decision 26/2026, Điều 6.)

Three parts: what the producer files (Mẫu 01, Mẫu 02 with the self-assessment on the product set's
sheet, the legal papers, for an upgrade what changed, for a re-evaluation the updates and periodic
tests); what the commune adds (its report Mẫu 03, its proposal letter, the five samples — none for
community tourism); and, at the province, nothing expired on the day it is checked. A dossier with
any problem cannot go to a council.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.evaluation.choices import EvaluationKind

from . import content
from .choices import EvidenceKind, LegalPaper
from .rules import SAMPLES_REQUIRED

PRODUCER = "producer"
COMMUNE = "commune"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    part: str = PRODUCER
    field: str = ""


def is_community_tourism(category) -> bool:
    """The product set belongs to the community tourism sector (no samples, Điều 6.2.d)."""
    node = category
    while node is not None:
        if "du lich" in fold(node.name):
            return True
        node = node.parent if node.parent_id else None
    return False


def producer_problems(dossier, version, day: dt.date, evidence=None, assessment=None) -> list[Problem]:
    from . import assessment as self_assessment

    problems: list[Problem] = []
    data = version.content or {}
    kind = dossier.kind
    for key in ("representative_name", "producer_address", "producer_phone"):
        if not content.is_filled(data.get(key)):
            problems.append(
                Problem(
                    "identity",
                    _("%(field)s is missing: complete the producer's record in the registry.")
                    % {"field": content.label_of(key)},
                    field=key,
                )
            )
    for spec in content.FIELDS:
        if kind in spec.required and not content.is_filled(data.get(spec.key)):
            problems.append(
                Problem("field", _("Fill in: %(field)s.") % {"field": spec.label}, field=spec.key)
            )
    if version.sheet_id is None:
        problems.append(
            Problem(
                "no_sheet",
                _(
                    "There is no score sheet for the product's set under the rules in force: "
                    "check its product set."
                ),
            )
        )
    else:
        result = assessment if assessment is not None else self_assessment.evaluate(version)
        if result is not None and not result.complete:
            problems.append(
                Problem(
                    "assessment",
                    _("The self-assessment is not finished: %(n)s criteria without an answer (%(codes)s).")
                    % {"n": len(result.open_keys), "codes": ", ".join(result.open_keys[:8])},
                )
            )
    evidence = list(version.evidence.all()) if evidence is None else evidence
    papers = [e for e in evidence if e.kind == EvidenceKind.LEGAL]
    if not any(e.paper == LegalPaper.BUSINESS_REGISTRATION for e in papers):
        problems.append(Problem("business_registration", _("Attach the business registration.")))
    for e in papers:
        if e.expires_on is not None and e.expires_on < day:
            problems.append(
                Problem(
                    "expired",
                    _("%(paper)s “%(title)s” expired on %(day)s: attach the one in force.")
                    % {
                        "paper": e.get_paper_display(),
                        "title": e.title,
                        "day": e.expires_on.strftime("%d/%m/%Y"),
                    },
                )
            )
    if kind == EvaluationKind.REEVALUATION:
        since = dossier.certificate.issued_on if dossier.certificate_id else None
        tests = [e for e in papers if e.paper == LegalPaper.TEST_REPORT]
        if not any(since is None or (e.issued_on is not None and e.issued_on >= since) for e in tests):
            problems.append(
                Problem(
                    "periodic_tests",
                    _("Attach a periodic laboratory test report issued since the product was recognised."),
                )
            )
    if kind == EvaluationKind.UPGRADE and dossier.previous_id and dossier.previous.accepted_version_id:
        diff = content.diff_versions(dossier.previous.accepted_version, version, new_evidence=evidence)
        if (
            not [c for c in diff.content if c.key not in content.IDENTITY_KEYS]
            and not diff.assessment
            and not (diff.evidence_added)
        ):
            problems.append(
                Problem(
                    "no_change",
                    _("An upgrade shows what changed since recognition: nothing has changed yet."),
                )
            )
    return problems


def commune_problems(dossier) -> list[Problem]:
    problems: list[Problem] = []
    if (
        not is_community_tourism(dossier.product.category)
        and (dossier.samples_received or 0) < SAMPLES_REQUIRED
    ):
        problems.append(
            Problem(
                "samples",
                _("%(n)s samples must be received with the dossier (received: %(got)s).")
                % {"n": SAMPLES_REQUIRED, "got": dossier.samples_received or 0},
                COMMUNE,
            )
        )
    try:
        report = dossier.commune_report
    except ObjectDoesNotExist:
        report = None
    if report is None:
        problems.append(Problem("commune_report", _("The commune's report (Mẫu 03) is missing."), COMMUNE))
        problems.append(Problem("letter", _("The commune's proposal letter is missing."), COMMUNE))
        return problems
    for field, label in (
        ("raw_materials", _("use of local raw materials")),
        ("local_labour", _("use of local labour")),
        ("idea_origin", _("origin of the product idea")),
        ("local_identity", _("local identity and knowledge")),
    ):
        if not content.is_filled(getattr(report, field)):
            problems.append(
                Problem(
                    "commune_report",
                    _("The commune's report does not assess the %(what)s.") % {"what": label},
                    COMMUNE,
                    field,
                )
            )
    if not (report.report_number and report.report_date):
        problems.append(
            Problem("commune_report", _("Give the number and date of the commune's report."), COMMUNE)
        )
    if not (report.letter_number and report.letter_date):
        problems.append(Problem("letter", _("Give the number and date of the proposal letter."), COMMUNE))
    return problems


def problems(dossier, version, day: dt.date, parts=(PRODUCER, COMMUNE), evidence=None) -> list[Problem]:
    out = []
    if PRODUCER in parts:
        out += producer_problems(dossier, version, day, evidence=evidence)
    if COMMUNE in parts:
        out += commune_problems(dossier)
    return out
