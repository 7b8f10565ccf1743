"""Test overlay: fast hashing, in-memory e-mail, plain static storage."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
# Each test process its own cache: rate limits of one test never meet another's.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# SQLite: the test database is a file in the temporary directory, not Django's shared in-memory
# one. In memory, the end-to-end tests' live server hands the test's own connection object to
# every request thread, and two threads stepping through one SQLite connection at once (the
# browser asks for a page's parts in parallel) could wait for each other for ever. With a file
# each thread has its own connection: WAL lets them read while one writes, a writer waits for
# another (timeout) and transactions take the write lock when they begin, so two of them never
# each hold a read lock the other must wait out.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"outreach-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF",
    }
# A read replica under its own name, reading the test database (config/tests/test_replica.py):
# off unless a test turns REPLICA_READS on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
REPLICA_READS = False
# The test client speaks plain http; secure cookies stay on (the client sends them anyway).
SECURE_SSL_REDIRECT = False
# A slow test (a loaded machine) must not see its session refreshed between two requests whose
# queries it counts; the idle-timeout tests set it back.
SESSION_REFRESH_SECONDS = 3600
# force_login-based tests need no lock-out bookkeeping; config/tests/test_login_security.py
# turns axes back on to test the lock-out itself.
AXES_ENABLED = False
