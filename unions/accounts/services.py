"""Writes of the accounts that span the cadre profile and its login."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from lib.sessions import end_sessions

from ..models import Cadre, DistrictUnion
from .invitations import invitation_send


@transaction.atomic
def account_update(*, cadre: Cadre, name: str, phone: str, email: str) -> None:
    """My account: the profile's name and phone and the login's e-mail, together or not at all."""
    cadre.name, cadre.phone = name, phone
    cadre.full_clean()
    cadre.save()
    user = cadre.user
    user.email = email
    user.save(update_fields=["email"])


def password_chosen(*, cadre: Cadre | None) -> None:
    """The user set his or her own password: no forced change any more."""
    if cadre is not None and cadre.must_change_password:
        cadre.must_change_password = False
        cadre.save(update_fields=["must_change_password"])


@transaction.atomic
def cadre_invite(
    *,
    username: str,
    name: str,
    unit: DistrictUnion,
    post: str,
    phone: str,
    email: str,
    role: str,
    request=None,
) -> tuple[Cadre, bool]:
    """A new login without a password and its cadre profile; the invitation is mailed when the
    cadre has an address. Returns (cadre, mailed)."""
    user = get_user_model()(username=username, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    cadre = Cadre(user=user, name=name, unit=unit, post=post, phone=phone, role=role)
    cadre.full_clean()
    cadre.save()
    return cadre, invitation_send(cadre=cadre, request=request)


class OpenProblemsError(Exception):
    """The cadre still owns open problems: they must be handed over before deactivation."""


@transaction.atomic
def cadre_deactivate(*, cadre: Cadre) -> int:
    """The cadre and the login inactive, and the login's sessions ended at once; nothing the cadre
    recorded changes. Refused while the cadre owns open problems. Returns the sessions ended."""
    cadre = Cadre.objects.select_for_update().select_related("user").get(pk=cadre.pk)
    if cadre.open_problems().exists():
        raise OpenProblemsError
    cadre.is_active = False
    cadre.save(update_fields=["is_active"])
    user = cadre.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return end_sessions(user.pk)
