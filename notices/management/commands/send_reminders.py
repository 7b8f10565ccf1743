"""The old name of run_notices (cron lines that call it keep working, with --date and --dry-run)."""

from .run_notices import Command as RunNotices


class Command(RunNotices):
    help = "Same as run_notices (its former name)."
