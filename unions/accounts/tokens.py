"""Invitation links: Django's password-reset tokens under their own salt.

A token is valid PASSWORD_RESET_TIMEOUT (7 days) and once: it hashes the password, which the
activation replaces, and the last login.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "unions.accounts.tokens.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()
