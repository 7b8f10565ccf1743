"""Accounts: a cadre's own account (details, password change and reset), invitations that set
the first password, and the leaders' management of their unit's cadres.

Django's auth views and token machinery do the work; this package adds the Chinese templates,
the rate limit on reset requests, the forced change after an administrator set a password, and
the invitation (its own token salt, so a reset link never activates an account and back).
"""
