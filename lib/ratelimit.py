"""A fixed-window rate limit in Django's cache: how many times a key was hit this hour."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 3600


def hit(scope: str, key: str, *, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Counts one hit of `key` in `scope`; False once the key has had `limit` hits in the window.

    The key is hashed: e-mail addresses and client addresses never reach the cache in clear.
    """
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
    name = f"ratelimit:{digest}"
    # add() only sets a missing key, so the window starts at the first hit and is not extended.
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, timeout=window)
        count = 1
    return count <= limit
