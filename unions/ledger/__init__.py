"""Import and export of the directory ledgers (台账): enterprise unions and cadres, as .xlsx or .csv.

Our own small pipeline rather than django-import-export's row-by-row one: real ledgers need a
header row found below a merged title, GBK CSV files, checks that span rows (duplicates) and
10,000 rows in seconds, which means one query per batch, never one per row.

One module per step: `read` turns the file into numbered rows keyed by column (the columns
and words of the file format are in `format`) → `check` holds the checks of one row and the
Plan → `plan` checks every row against the directory and sorts it into add / update /
unchanged / error → `apply` writes the whole plan in one transaction (with simple-history
records), or nothing. `export` writes the same format back; `stash` keeps a previewed file
until the admin confirms it.
"""

from collections.abc import Iterator

BATCH_SIZE = 500


def chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
