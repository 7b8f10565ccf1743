"""Fill a database fast with a province and N visits over three years: by default 1 province,
13 cities, 100 districts, 1,300 towns/zones, 200,000 enterprises and 30,000 cadres
(`--cities 0`: the districts at the top), then the monthly figures in bulk.

For the benchmark of the monthly report (bench/monthly_report.py). Rows are written with
PostgreSQL COPY (executemany elsewhere) with explicit ids, bypassing save() and history:
this is synthetic data, never to be run on a live database.
"""

from __future__ import annotations

import datetime
import io
import random
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from outreach import figures
from outreach.models import (
    CadreMonth,
    Concern,
    CoverageMonth,
    EvaluationRule,
    ProblemMonth,
    Visit,
    VisitMonth,
)
from unions.models import Cadre, DistrictUnion, EnterpriseUnion
from unions.validators import credit_code_check_char

CHUNK = 100_000
KINDS = ["chairman", "office", "worker"]
# Mostly submitted or reviewed: what a working district looks like.
STATUSES = ["submitted"] * 85 + ["reviewed"] * 8 + ["draft"] * 5 + ["returned"] * 2
CATEGORIES = ["concern", "dispute", "hardship", "legal_aid", "wages", "suggestion", "other", "answered"]
SATISFACTION = ["satisfied", "satisfied", "basically", "unsatisfied", ""]
BENCH_LEADER = "bench_leader_1"  # the district leader of the first district, used by bench/
# The leaders of the province, of its first city and of the first district's first town.
BENCH_PROVINCE_LEADER = "bench_province"
BENCH_CITY_LEADER = "bench_city"
BENCH_TOWN_LEADER = "bench_town"
# Cadres at the province's and at each city's own federation (the first of each its leader).
PROVINCE_CADRES, CITY_CADRES = 20, 10


class Command(BaseCommand):
    help = "Fill the database with a province-sized directory and N visits (for benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=int, default=100_000)
        parser.add_argument(
            "--cities", type=int, default=13, help="cities of the province (0: the districts at the top)"
        )
        parser.add_argument("--districts", type=int, default=100)
        parser.add_argument("--towns", type=int, default=1_300)
        parser.add_argument("--enterprises", type=int, default=200_000)
        parser.add_argument("--cadres", type=int, default=30_000)
        parser.add_argument("--concerns", type=int, default=None, help="default: visits / 10")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset", action="store_true", help="Empty the directory and outreach tables first."
        )
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, **opts):
        if not settings.DEBUG and not opts["force"]:
            raise CommandError(
                "seed_bench writes synthetic data; run it with DEBUG=1 or --force, never on a live site."
            )
        if (
            opts["towns"] < opts["districts"]
            or opts["cadres"] < 2 * opts["towns"]
            or opts["enterprises"] < opts["towns"]
        ):
            raise CommandError(
                "Need at least one town per district, two cadres per town and one enterprise per town."
            )
        if DistrictUnion.objects.exists():
            if not opts["reset"]:
                raise CommandError("The database already has a directory; use --reset to replace everything.")
            self._reset()
        self.rng = random.Random(opts["seed"])  # nosec B311 - synthetic benchmark data
        self.today = timezone.localdate()
        self.pg = connection.vendor == "postgresql"
        started = time.monotonic()
        with transaction.atomic():
            self._directory(opts)
            self._visits(opts["visits"])
            self._concerns(opts["visits"] // 10 if opts["concerns"] is None else opts["concerns"])
            counted = time.monotonic()
            figures.rebuild_in_bulk()  # the monthly figures, by INSERT … SELECT on PostgreSQL
            self.stdout.write(f"  monthly figures: {time.monotonic() - counted:.1f} s")
            EvaluationRule.current()
            self._reset_sequences()
        if self.pg:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would: visibility map for index-only scans
        self.stdout.write(f"seed_bench: done in {time.monotonic() - started:.1f} s")

    # Writing ---------------------------------------------------------------------------

    def _write(self, model, columns: list[str], rows) -> int:
        """Insert rows (tuples in the order of columns) into the model's table; returns the count."""
        table = model._meta.db_table
        expected = {f.column for f in model._meta.concrete_fields}
        if set(columns) != expected:  # the model changed: the bench's column list must follow
            raise CommandError(f"{table}: columns differ from the model: {sorted(expected ^ set(columns))}")
        count = 0
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                self._flush(table, columns, batch)
                count += len(batch)
                batch = []
        if batch:
            self._flush(table, columns, batch)
            count += len(batch)
        self.stdout.write(f"  {table}: {count}")
        return count

    def _flush(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            if self.pg:
                buffer = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))
                cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    # Table and column names come from the model's _meta, never from input.
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # nosec B608
                    [tuple(_sql_value(v) for v in row) for row in rows],
                )

    def _reset(self) -> None:
        models = [
            CadreMonth,
            VisitMonth,
            ProblemMonth,
            CoverageMonth,
            Concern,
            Visit.companions.through,
            Visit,
            Cadre.contact_enterprises.through,
            Cadre.towns.through,
        ]
        models += [Cadre, EnterpriseUnion, DistrictUnion]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = [m._meta.db_table for m in models] + [get_user_model()._meta.db_table]
                tables += ["outreach_concernevent", "outreach_visitphoto", "outreach_historicalvisit"]
                tables += [
                    "outreach_historicalconcern",
                    "unions_historicalcadre",
                    "unions_historicalenterpriseunion",
                ]
                tables += ["outreach_historicalvisit_companions", "django_session"]
                existing = set(connection.introspection.table_names(cursor))
                cursor.execute(f"TRUNCATE {', '.join(t for t in tables if t in existing)} CASCADE")
            else:
                for model in models:
                    model._base_manager.all()._raw_delete(connection.alias)
                get_user_model()._base_manager.all()._raw_delete(connection.alias)

    def _reset_sequences(self) -> None:
        models = [DistrictUnion, EnterpriseUnion, get_user_model(), Cadre, Visit, Concern]
        models += [Cadre.contact_enterprises.through]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    # The directory ---------------------------------------------------------------------

    def _directory(self, opts) -> None:
        rng = self.rng
        n_d, n_t, n_e, n_c = opts["districts"], opts["towns"], opts["enterprises"], opts["cadres"]
        n_city = min(opts["cities"], n_d)
        # Ids from the top down: the province (with cities), its cities, the districts, the towns.
        top = 1 + n_city if n_city else 0
        self.province_id = 1 if n_city else None
        self.city_ids = list(range(2, 2 + n_city))
        self.district_ids = list(range(top + 1, top + n_d + 1))
        self.district_city = {
            d: self.city_ids[i % n_city] if n_city else None for i, d in enumerate(self.district_ids)
        }
        self.town_district = {top + n_d + 1 + t: self.district_ids[t % n_d] for t in range(n_t)}
        self.towns_of = {d: [t for t, dd in self.town_district.items() if dd == d] for d in self.district_ids}
        self.districts_of_city = {
            c: [d for d in self.district_ids if self.district_city[d] == c] for c in self.city_ids
        }
        # The tree's materialised path (treebeard's MP_Node), written here since bulk rows skip save().
        step = DistrictUnion._get_path
        cols = ["id", "name", "code", "level", "parent_id", "path", "depth", "numchild"]
        rows, path, code = [], {}, {}
        if n_city:
            path[1], code[1] = step(None, 1, 1), "320000"
            rows.append((1, "江苏省总工会", code[1], "province", None, path[1], 1, n_city))
            for i, c in enumerate(self.city_ids, 1):
                path[c], code[c] = step(path[1], 2, i), f"32{i:02d}00"
                children = len(self.districts_of_city[c])
                rows.append((c, f"第{i}市总工会", code[c], "city", 1, path[c], 2, children))
        for d in self.district_ids:
            city = self.district_city[d]
            if city:
                k = self.districts_of_city[city].index(d) + 1
                path[d], code[d] = step(path[city], 3, k), f"{code[city][:4]}{k:02d}"
                depth = 3
            else:
                path[d], code[d] = step(None, 1, d), f"{320000 + d:06d}"
                depth = 1
            rows.append(
                (d, f"第{d}区总工会", code[d], "district", city, path[d], depth, len(self.towns_of[d]))
            )
        town_depth = 4 if n_city else 2
        for t, d in self.town_district.items():
            k = self.towns_of[d].index(t) + 1
            level = "zone" if t % 7 == 0 else "town"
            town_path = step(path[d], town_depth, k)
            rows.append((t, f"第{t}镇总工会", f"{code[d]}{k:03d}000", level, d, town_path, town_depth, 0))
        self._write(DistrictUnion, cols, rows)

        towns = list(self.town_district)
        self.enterprise_town = {e: towns[(e - 1) % n_t] for e in range(1, n_e + 1)}
        self.enterprises_of = {t: [] for t in towns}
        for e, t in self.enterprise_town.items():
            self.enterprises_of[t].append(e)
        self.district_enterprises = {
            d: [e for t in self.towns_of[d] for e in self.enterprises_of[t]] for d in self.district_ids
        }
        cols = [f.column for f in EnterpriseUnion._meta.concrete_fields]

        def enterprises():
            for e, t in self.enterprise_town.items():
                body = f"91{320000 + self.town_district[t]:06d}{e:09d}"
                employees = rng.randint(10, 2000)
                has_union = rng.random() < 0.8
                values = {
                    "id": e,
                    "name": f"第{e}号企业有限公司",
                    "credit_code": body + credit_code_check_char(body),
                    "district_union_id": t,
                    "employees": employees,
                    "members": int(employees * rng.uniform(0.5, 1.0)) if has_union else 0,
                    "has_union": has_union,
                    "has_office": has_union and rng.random() < 0.4,
                    "chair_name": "",
                    "fulltime_cadre_name": "",
                    "phone": "",
                    "address": "",
                    "is_active": rng.random() > 0.02,
                    "last_verified_at": None,
                    "last_verified_by_id": None,
                }
                yield tuple(values[c] for c in cols)

        self._write(EnterpriseUnion, cols, enterprises())

        # Cadres: a few at the province's and each city's own federation, then a tenth at each
        # district's headquarters, the rest spread over the towns (the first of each unit its
        # leader). Each cadre visits in one district: his or her own, or one below the city.
        self.cadre_unit, self.cadre_district = {}, {}
        cid = 0
        upper = [(self.province_id, min(PROVINCE_CADRES, max(1, n_c // 1000)))] if self.province_id else []
        upper += [(c, min(CITY_CADRES, max(1, n_c // 2000))) for c in self.city_ids]
        for unit, n in upper:
            below = self.districts_of_city.get(unit) or self.district_ids
            for _i in range(n):
                cid += 1
                self.cadre_unit[cid], self.cadre_district[cid] = unit, rng.choice(below)
        left = n_c - cid
        for index, d in enumerate(self.district_ids):
            per_district = left // n_d + (index < left % n_d)
            hq = max(1, per_district // 10)
            for i in range(per_district):
                cid += 1
                self.cadre_unit[cid] = d if i < hq else self.towns_of[d][(i - hq) % len(self.towns_of[d])]
                self.cadre_district[cid] = d
        self.cadres_of_district = {d: [] for d in self.district_ids}
        for c, unit in self.cadre_unit.items():
            if unit in self.district_ids or unit in self.town_district:
                self.cadres_of_district[self.cadre_district[c]].append(c)
        leaders, seen = set(), set()
        for c, unit in self.cadre_unit.items():
            if unit not in seen:
                seen.add(unit)
                leaders.add(c)
        first_district = self.district_ids[0]
        names = {
            next(c for c, u in self.cadre_unit.items() if u == first_district): BENCH_LEADER,
            next(
                c for c, u in self.cadre_unit.items() if u == self.towns_of[first_district][0]
            ): BENCH_TOWN_LEADER,
        }
        if self.province_id:
            names[next(c for c, u in self.cadre_unit.items() if u == self.province_id)] = (
                BENCH_PROVINCE_LEADER
            )
            names[next(c for c, u in self.cadre_unit.items() if u == self.city_ids[0])] = BENCH_CITY_LEADER
        user_cols = [f.column for f in get_user_model()._meta.concrete_fields]
        joined = timezone.now()

        def users():
            for c in self.cadre_unit:
                values = {
                    "id": c,
                    "password": "!",  # nosec B105 - "!" is Django's unusable-password marker
                    "last_login": None,
                    "is_superuser": False,
                    "username": names.get(c, f"bench_{c}"),
                    "first_name": "",
                    "last_name": "",
                    "email": "",
                    "is_staff": False,
                    "is_active": True,
                    "date_joined": joined,
                }
                yield tuple(values[col] for col in user_cols)

        self._write(get_user_model(), user_cols, users())
        cadre_cols = [f.column for f in Cadre._meta.concrete_fields]

        def cadres():
            for c, unit in self.cadre_unit.items():
                values = {
                    "id": c,
                    "user_id": c,
                    "name": f"干部{c}",
                    "unit_id": unit,
                    "post": "",
                    "phone": "",
                    "role": "leader" if c in leaders else "cadre",
                    "is_active": rng.random() > 0.03 or c in leaders,
                    "must_change_password": False,
                    "invited_at": None,
                }
                yield tuple(values[col] for col in cadre_cols)

        self._write(Cadre, cadre_cols, cadres())

        through = Cadre.contact_enterprises.through

        def contacts():
            n = 0
            for c, unit in self.cadre_unit.items():
                pool = self.enterprises_of.get(unit) or self.district_enterprises[self.cadre_district[c]]
                for e in rng.sample(pool, min(len(pool), 2 if unit in self.enterprises_of else 3)):
                    n += 1
                    yield (n, c, e)

        self._write(through, ["id", "cadre_id", "enterpriseunion_id"], contacts())

    # Visits and problems ------------------------------------------------------------------

    def _visits(self, n: int) -> None:
        rng, today = self.rng, self.today
        cadres = list(self.cadre_unit)
        cols = [f.column for f in Visit._meta.concrete_fields]
        tz = timezone.get_default_timezone()

        def visits():
            for v in range(1, n + 1):
                c = rng.choice(cadres)
                unit = self.cadre_unit[c]
                district = self.cadre_district[c]
                date = today - datetime.timedelta(days=rng.randrange(1096))
                kind = rng.choice(KINDS)
                if kind == "chairman" and rng.random() < 0.4:
                    host_union = unit if unit in self.town_district else rng.choice(self.towns_of[district])
                    host_enterprise, town = None, host_union
                else:
                    pool = self.enterprises_of.get(unit) or self.district_enterprises[district]
                    host_union, host_enterprise = None, rng.choice(pool)
                    town = self.enterprise_town[host_enterprise]
                status = rng.choice(STATUSES)
                at = datetime.datetime.combine(date, datetime.time(17), tzinfo=tz)
                values = {
                    "id": v,
                    "kind": kind,
                    "date": date,
                    "cadre_id": c,
                    "host_union_id": host_union,
                    "host_enterprise_id": host_enterprise,
                    "town_id": town,
                    "status": status,
                    "planned_for": date if status == "planned" else None,
                    "topics": '["office_role"]',
                    "people_met": "",
                    "work_done": "跟班学习，了解工会工作开展情况。",
                    "answered_questions": "",
                    "worker_opinions": "希望改善食堂伙食。"
                    if kind == "worker" and rng.random() < 0.3
                    else "",
                    "suggestions": "建议加大职工技能培训投入。" if rng.random() < 0.05 else "",
                    "reflections": "",
                    "submitted_at": at if status in ("submitted", "reviewed") else None,
                    "reviewer_id": None,
                    "reviewed_at": None,
                    "review_comment": "",
                    "return_reason": "",
                    "client_uuid": None,
                    "version": 1,
                    "is_deleted": rng.random() < 0.01,
                    "created_at": at,
                    "updated_at": at,
                }
                yield tuple(values[col] for col in cols)

        self._write(Visit, cols, visits())

    def _concerns(self, n: int) -> None:
        rng, today = self.rng, self.today
        tz = timezone.get_default_timezone()
        enterprises = list(self.enterprise_town)
        town_cadres = {}
        for c, unit in self.cadre_unit.items():
            town_cadres.setdefault(unit, []).append(c)
        cols = [f.column for f in Concern._meta.concrete_fields]

        def concerns():
            for i in range(1, n + 1):
                e = rng.choice(enterprises)
                town = self.enterprise_town[e]
                owner = rng.choice(town_cadres.get(town) or self.cadres_of_district[self.town_district[town]])
                received = today - datetime.timedelta(days=rng.randrange(1096))
                created = datetime.datetime.combine(received, datetime.time(rng.randrange(8, 20)), tzinfo=tz)
                due = received + datetime.timedelta(days=rng.choice([5, 7, 10, 15]))
                status, closed_at, resolved_at, satisfaction = "open", None, None, ""
                r = rng.random()
                if due < today:
                    if r < 0.7:
                        status = "closed"
                        resolved_at = closed_at = created + datetime.timedelta(
                            days=rng.randrange(0, 20), hours=3
                        )
                        satisfaction = rng.choice(SATISFACTION)
                    elif r < 0.8:
                        status, resolved_at = "resolved", created + datetime.timedelta(days=3)
                elif r < 0.5:
                    status = "in_progress"
                values = {
                    "id": i,
                    "visit_id": None,
                    "category": rng.choice(CATEGORIES),
                    "description": "职工反映加班费计算不清。",
                    "enterprise_id": e,
                    "town_id": town,
                    "worker_name": "",
                    "worker_phone": "",
                    "answered_on_site": False,
                    "owner_id": owner,
                    "received_by_id": owner,
                    "received_on": received,
                    "workers_affected": 1 + int(rng.random() < 0.2) * rng.randrange(1, 10),
                    "due_date": due,
                    "status": status,
                    "resolution": "",
                    "escalated_to": "",
                    "callback_note": "",
                    "satisfaction": satisfaction,
                    "resolved_at": resolved_at,
                    "closed_at": closed_at,
                    "version": 1,
                    "is_deleted": rng.random() < 0.01,
                    "created_at": created,
                    "updated_at": created,
                }
                yield tuple(values[col] for col in cols)

        self._write(Concern, cols, concerns())


def _copy_text(value) -> str:
    """A value in PostgreSQL COPY text format (our synthetic text has no tab, newline or backslash)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _sql_value(value):
    if isinstance(value, datetime.datetime):
        # SQLite keeps naive UTC text, as Django writes it.
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
