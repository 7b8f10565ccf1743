"""Writes of the accounts that span the cadre profile and its login."""

from __future__ import annotations

from django.db import transaction

from ..models import Cadre


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
