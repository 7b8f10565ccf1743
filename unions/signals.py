"""History rules: logins (last_login) are not a change worth a row; an enterprise's row says
at which visit its facts were checked."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver
from simple_history.signals import pre_create_historical_record

from .models import EnterpriseUnion

# Enterprises left or joined these towns (`towns`: unit ids), or were (de)activated, by a
# bulk write that bypasses save() (the ledger import): whatever counts a town's enterprises
# recounts them (outreach's monthly coverage figures).
enterprises_moved = Signal()


@receiver(pre_save, sender=get_user_model(), dispatch_uid="unions_no_history_for_last_login")
def skip_history_for_last_login(sender, instance, update_fields=None, **kwargs):
    # Every login saves last_login alone: not a change worth a history row.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True
        instance._history_skipped_for_login = True


@receiver(post_save, sender=get_user_model(), dispatch_uid="unions_history_again_after_last_login")
def resume_history_after_last_login(sender, instance, **kwargs):
    # The flag lives on the instance: later saves of the same object must be recorded again.
    if getattr(instance, "_history_skipped_for_login", False):
        del instance.skip_history_when_saving
        del instance._history_skipped_for_login


@receiver(
    pre_create_historical_record,
    sender=EnterpriseUnion.history.model,
    dispatch_uid="unions_verified_at_visit",
)
def note_the_verifying_visit(sender, instance, history_instance, **kwargs):
    # outreach's enterprise_verify names the visit; any other save records none.
    history_instance.verified_at_visit = getattr(instance, "_verified_at_visit", None)
