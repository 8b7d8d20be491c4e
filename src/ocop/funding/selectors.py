"""Reads of funding and support: lists with their sums, and the totals by source, area and year."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from .models import AMOUNT, Disbursement, FundingSource, StateAsset, SupportGrant

ZERO = Value(Decimal(0), output_field=DecimalField(**AMOUNT))


def disbursed_subquery():
    return Coalesce(
        Subquery(
            Disbursement.objects.filter(grant=OuterRef("pk"))
            .order_by()
            .values("grant")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=DecimalField(**AMOUNT),
        ),
        ZERO,
    )


def sources_for_list(user):
    granted = Coalesce(
        Subquery(
            SupportGrant.objects.filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(total=Sum("approved_amount"))
            .values("total")[:1],
            output_field=DecimalField(**AMOUNT),
        ),
        ZERO,
    )
    return FundingSource.objects.for_user(user, "view").select_related("area").annotate(granted=granted)


def grants_for_list(user):
    return (
        SupportGrant.objects.for_user(user, "view")
        .select_related("producer", "product", "commune", "source")
        .annotate(disbursed=disbursed_subquery())
    )


def assets_for_list(user):
    return StateAsset.objects.for_user(user, "view").select_related("producer", "commune", "source")


def totals(grants) -> dict[str, list[dict]]:
    """Sums of the grants (approved, disbursed, how many, how many producers) by funding source,
    by commune and by the year of the decision. `grants` is an already scoped queryset."""
    grants = grants.annotate(decision_year=ExtractYear("decision_date"))

    def group(keys: tuple[str, ...], paid_keys: tuple[str, ...], label) -> list[dict]:
        base = {}
        for r in (
            grants.order_by()
            .values(*keys)
            .annotate(
                approved=Coalesce(Sum("approved_amount"), ZERO),
                n_grants=Count("pk"),
                n_producers=Count("producer", distinct=True),
            )
        ):
            base[tuple(r[k] for k in keys)] = {**r, "disbursed": Decimal(0), "label": label(r)}
        paid = (
            Disbursement.objects.filter(grant__in=grants.values("pk"))
            .annotate(decision_year=ExtractYear("grant__decision_date"))
            .order_by()
            .values(*paid_keys)
            .annotate(total=Sum("amount"))
        )
        for r in paid:
            row = base.get(tuple(r[k] for k in paid_keys))
            if row is not None:
                row["disbursed"] = r["total"] or Decimal(0)
        return sorted(base.values(), key=lambda r: r["label"])

    from .choices import SourceKind

    by_source = group(
        ("source_id", "source__name", "source__kind", "source__year"),
        ("grant__source_id", "grant__source__name", "grant__source__kind", "grant__source__year"),
        lambda r: f"{r['source__name']} ({r['source__year']}) — {SourceKind(r['source__kind']).label}",
    )
    by_area = group(
        ("commune_id", "commune__name", "commune__path"),
        ("grant__commune_id", "grant__commune__name", "grant__commune__path"),
        lambda r: r["commune__name"],
    )
    by_year = group(("decision_year",), ("decision_year",), lambda r: str(r["decision_year"]))
    total = {
        "approved": sum((r["approved"] for r in by_source), Decimal(0)),
        "disbursed": sum((r["disbursed"] for r in by_source), Decimal(0)),
        "n_grants": sum(r["n_grants"] for r in by_source),
        "n_producers": grants.order_by().values("producer").distinct().count(),
    }
    return {"by_source": by_source, "by_area": by_area, "by_year": by_year, "total": total}
