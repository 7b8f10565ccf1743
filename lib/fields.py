"""Model fields declared the same way across the apps."""

from django.db import models


def optional_fk(
    to, verbose_name, *, related_name: str, on_delete=models.PROTECT, **kwargs
) -> models.ForeignKey:
    """A foreign key that may be empty (NULL in the database, blank in forms)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        **kwargs,
    )
