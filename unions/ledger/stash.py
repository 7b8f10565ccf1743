"""Between preview and confirm: the uploaded file waits on disk, tied to the admin's session."""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

STASH_DIR = Path(tempfile.gettempdir()) / "outreach-directory-imports"
STASH_MAX_AGE = 24 * 3600
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def stash_file(session, key: str, data: bytes, name: str) -> str:
    """Keeps a previewed file on disk (not in the session: it may be megabytes) until it is confirmed.

    The token is tied to the session, so nobody else can confirm it.
    """
    STASH_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - STASH_MAX_AGE
    for old in STASH_DIR.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    drop_stash(session, key)
    token = secrets.token_urlsafe(24)
    (STASH_DIR / token).write_bytes(data)
    session[key] = {"token": token, "name": name}
    return token


def unstash_file(session, key: str, token: str) -> tuple[bytes, str] | None:
    entry = session.get(key) or {}
    if not TOKEN_PATTERN.match(token or "") or entry.get("token") != token:
        return None
    try:
        return (STASH_DIR / token).read_bytes(), entry["name"]
    except OSError:
        return None


def drop_stash(session, key: str) -> None:
    entry = session.pop(key, None) or {}
    token = entry.get("token", "")
    if TOKEN_PATTERN.match(token):
        (STASH_DIR / token).unlink(missing_ok=True)
