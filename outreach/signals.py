"""The monthly figures follow every write of the rows they count (outreach.figures).

Receivers rather than calls in services.py: visits, problems and enterprises are also
written by the admin, the API, the ledger import and data fixes, and a figure that one of
them forgot would drift. Each save reads the row as it was (one query), and the slices of
the state before and after are recounted in the same transaction. A save that changes
nothing counted (a draft's text, a note) recounts nothing.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from unions.models import EnterpriseUnion
from unions.signals import enterprises_moved

from . import figures
from .models import Concern, Visit

VISIT_STATE = (
    "cadre_id",
    "date",
    "kind",
    "town_id",
    "status",
    "planned_for",
    "is_deleted",
    "host_enterprise_id",
)
CONCERN_STATE = (*figures.CONCERN_FIELDS, "is_deleted")
ENTERPRISE_STATE = ("district_union_id", "is_active")


def _state(instance, fields) -> dict:
    return {name: getattr(instance, name) for name in fields}


def _before(sender, instance, fields) -> dict | None:
    if instance.pk is None:
        return None
    return sender._base_manager.filter(pk=instance.pk).values(*fields).first()


@receiver(pre_save, sender=Visit, dispatch_uid="outreach_figures_visit_before")
def visit_before(sender, instance, **kwargs):
    instance._figures_before = _before(sender, instance, VISIT_STATE)


@receiver(post_save, sender=Visit, dispatch_uid="outreach_figures_visit_after")
def visit_after(sender, instance, **kwargs):
    before = instance.__dict__.pop("_figures_before", None)
    after = _state(instance, VISIT_STATE)
    if before != after:
        _refresh_visits([before, after])


@receiver(post_delete, sender=Visit, dispatch_uid="outreach_figures_visit_deleted")
def visit_deleted(sender, instance, **kwargs):
    _refresh_visits([_state(instance, VISIT_STATE)])


def _refresh_visits(states) -> None:
    cadre_months, enterprises = figures.visit_slices(states)
    if not cadre_months:
        return
    towns = set(
        EnterpriseUnion.objects.filter(pk__in=enterprises).values_list("district_union_id", flat=True)
    )
    with transaction.atomic():
        figures.refresh(cadre_months=cadre_months, towns=towns)


@receiver(pre_save, sender=Concern, dispatch_uid="outreach_figures_concern_before")
def concern_before(sender, instance, **kwargs):
    instance._figures_before = _before(sender, instance, CONCERN_STATE)


@receiver(post_save, sender=Concern, dispatch_uid="outreach_figures_concern_after")
def concern_after(sender, instance, **kwargs):
    before = instance.__dict__.pop("_figures_before", None)
    after = _state(instance, CONCERN_STATE)
    if before != after:
        figures.refresh(owner_months=figures.concern_slices([before, after]))


@receiver(post_delete, sender=Concern, dispatch_uid="outreach_figures_concern_deleted")
def concern_deleted(sender, instance, **kwargs):
    figures.refresh(owner_months=figures.concern_slices([_state(instance, CONCERN_STATE)]))


@receiver(pre_save, sender=EnterpriseUnion, dispatch_uid="outreach_figures_enterprise_before")
def enterprise_before(sender, instance, **kwargs):
    instance._figures_before = _before(sender, instance, ENTERPRISE_STATE)


@receiver(post_save, sender=EnterpriseUnion, dispatch_uid="outreach_figures_enterprise_after")
def enterprise_after(sender, instance, **kwargs):
    # Coverage counts a town's active enterprises: a move or a (de)activation recounts the
    # towns it leaves and joins. A new enterprise has no visits yet.
    before = instance.__dict__.pop("_figures_before", None)
    after = _state(instance, ENTERPRISE_STATE)
    if before is not None and before != after:
        figures.refresh(towns={before["district_union_id"], after["district_union_id"]})


@receiver(enterprises_moved, dispatch_uid="outreach_figures_enterprises_moved")
def enterprises_moved_in_bulk(sender, towns, **kwargs):
    figures.refresh(towns=towns)
