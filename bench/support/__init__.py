"""Shared by bench/load.py and bench/db_restart.py: a throw-away database, gunicorn, HTTP users."""
