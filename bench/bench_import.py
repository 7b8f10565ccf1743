"""How long the directory import takes for 10,000 enterprise unions and 10,000 cadres.

Run: .venv/bin/python bench/bench_import.py [rows]   (uses a throw-away test database:
in-memory SQLite, or test_<name> on the PostgreSQL server of DATABASE_URL).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"  {label:<34} {time.perf_counter() - start:6.2f} s")
    return result


def main(rows: int) -> None:
    from unions.ledger.apply import apply_plan
    from unions.ledger.format import CADRE_COLUMNS, ENTERPRISE_COLUMNS
    from unions.ledger.plan import plan_cadres, plan_enterprises
    from unions.ledger.read import read_table
    from unions.models import Cadre, EnterpriseUnion
    from unions.tests.factories import AdminCadreFactory, DistrictFactory, TownFactory, valid_credit_code
    from unions.tests.import_files import CADRE_HEADERS, ENTERPRISE_HEADERS, enterprise_row, xlsx_bytes

    district = DistrictFactory(name="武进区总工会", code="320412")
    towns = [TownFactory(name=f"第{n}镇总工会", code=f"320412{100 + n}", parent=district) for n in range(11)]
    admin = AdminCadreFactory(unit=district).user

    def run(kind, columns, planner, content, name):
        table = timed(f"{kind}: read the file", lambda: read_table(content, name, columns))
        plan = timed(f"{kind}: preview (check every row)", lambda: planner(table))
        assert plan.is_valid, plan.errors[:5]
        timed(f"{kind}: write (one transaction)", lambda: apply_plan(plan, user=admin))
        return plan

    print(f"Directory import benchmark, {rows:,} rows, database: {connection.vendor}")
    enterprise_file = xlsx_bytes(
        [
            ENTERPRISE_HEADERS,
            *(
                enterprise_row(valid_credit_code(n), f"常州第{n}号企业有限公司", towns[n % 11].name)
                for n in range(rows)
            ),
        ]
    )
    print(f"enterprises (.xlsx, {len(enterprise_file) / 1024 / 1024:.1f} MB):")
    start = time.perf_counter()
    plan = run("add", ENTERPRISE_COLUMNS, plan_enterprises, enterprise_file, "e.xlsx")
    print(f"  {'TOTAL add ' + str(len(plan.added)):<34} {time.perf_counter() - start:6.2f} s")
    start = time.perf_counter()
    plan = run("again", ENTERPRISE_COLUMNS, plan_enterprises, enterprise_file, "e.xlsx")
    print(f"  {'TOTAL unchanged ' + str(plan.unchanged):<34} {time.perf_counter() - start:6.2f} s")
    changed = xlsx_bytes(
        [
            ENTERPRISE_HEADERS,
            *(
                enterprise_row(valid_credit_code(n), f"常州第{n}号企业有限公司", towns[(n + 1) % 11].name)
                for n in range(rows)
            ),
        ]
    )
    start = time.perf_counter()
    plan = run("update", ENTERPRISE_COLUMNS, plan_enterprises, changed, "e.xlsx")
    print(f"  {'TOTAL update ' + str(len(plan.updated)):<34} {time.perf_counter() - start:6.2f} s")
    assert EnterpriseUnion.objects.count() == rows

    cadre_file = xlsx_bytes(
        [
            CADRE_HEADERS,
            *(
                [
                    f"cadre{n}",
                    f"干部{n}",
                    towns[n % 11].name,
                    "干事",
                    f"139{n:08d}",
                    "干部",
                    towns[(n + 1) % 11].name,
                    "是",
                ]
                for n in range(rows)
            ),
        ]
    )
    print(f"cadres (.xlsx, {len(cadre_file) / 1024 / 1024:.1f} MB):")
    start = time.perf_counter()
    plan = run("add", CADRE_COLUMNS, plan_cadres, cadre_file, "c.xlsx")
    print(f"  {'TOTAL add ' + str(len(plan.added)):<34} {time.perf_counter() - start:6.2f} s")
    assert Cadre.objects.count() == rows + 1


if __name__ == "__main__":
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
