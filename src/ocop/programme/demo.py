"""For `ocop demo reset`: remove the programme's records that hang on demo products, so the
registry's demo can be rebuilt. Only for demo data — a dossier's filed versions are otherwise never
deleted (queryset deletes bypass `DossierVersion.delete`, which refuses)."""

from __future__ import annotations

from django.db import transaction


def reset_for_products(product_ids) -> int:
    """Delete the dossiers (versions, evidence, events, commune reports), business plans and ideas
    of these products. Returns the number of dossiers deleted. Stored files are left in place."""
    from .models import (
        BusinessPlan,
        CommuneReport,
        Dossier,
        DossierEvent,
        DossierEvidence,
        DossierVersion,
        PlanAttachment,
        ProductIdea,
    )

    ids = list(product_ids)
    with transaction.atomic():
        dossiers = Dossier.objects.filter(product_id__in=ids)
        count = dossiers.count()
        Dossier.objects.filter(previous__in=dossiers).update(previous=None)
        dossiers.update(accepted_version=None, previous=None)
        DossierEvent.objects.filter(dossier__in=dossiers).delete()
        CommuneReport.objects.filter(dossier__in=dossiers).delete()
        DossierEvidence.objects.filter(version__dossier__in=dossiers).update(inherited_from=None)
        DossierEvidence.objects.filter(version__dossier__in=dossiers).delete()
        DossierVersion.objects.filter(dossier__in=dossiers).update(based_on=None)
        DossierVersion.objects.filter(dossier__in=dossiers).delete()
        dossiers.delete()
        plans = BusinessPlan.objects.filter(product_id__in=ids)
        PlanAttachment.objects.filter(plan__in=plans).delete()
        idea_ids = list(plans.exclude(idea=None).values_list("idea_id", flat=True))
        plans.delete()
        ProductIdea.objects.filter(pk__in=idea_ids).delete()
        ProductIdea.objects.filter(existing_product_id__in=ids).delete()
    return count
