"""Step 3: check every row against the directory; sort it into add / update / unchanged / error."""

from __future__ import annotations

import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Cadre, DistrictUnion, EnterpriseUnion
from ..validators import validate_credit_code, validate_division_code
from . import chunks
from .check import Change, Plan, RowChecker, UnitIndex, differs, sort_row, town_index
from .format import (
    CADRE_COLUMNS,
    ENTERPRISE_COLUMNS,
    ENTERPRISE_SEPARATORS,
    LEVEL_WORDS,
    ROLE_WORDS,
    TOWN_SEPARATORS,
    UNIT_COLUMNS,
    normalize_header,
)
from .read import Table

ENTERPRISE_FIELDS = [
    "name",
    "district_union",
    "employees",
    "members",
    "has_union",
    "has_office",
    "chair_name",
    "fulltime_cadre_name",
    "phone",
    "address",
    "is_active",
]
ENTERPRISE_FIELD_COLUMN = {"district_union": "town"}
NO_UNIT = gettext_lazy("No union called “%(name)s” in the directory.")
NO_TOWN = gettext_lazy("No town or development zone called “%(name)s” in the directory.")


def plan_enterprises(table: Table) -> Plan:
    """Checks every row; queries the units once and the enterprises once per 500 credit codes."""
    plan = Plan(kind="enterprise", total=len(table.rows), ignored_headers=table.ignored_headers)
    # An enterprise attaches to any unit: most to a town or street, 直属 ones to a district or city.
    towns = UnitIndex(DistrictUnion.objects.all())
    seen: dict[str, int] = {}
    valid = []
    for number, values in table.rows:
        check = RowChecker(plan, number, values, ENTERPRISE_COLUMNS)
        code = re.sub(r"\s", "", values.get("credit_code", "")).upper()
        if not code:
            check.error("credit_code", _("This value is required."))
        else:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                for message in exc.messages:
                    check.error("credit_code", message)
            else:
                if code in seen:
                    check.error(
                        "credit_code",
                        _("Duplicate: row %(row)d of this file has the same credit code.")
                        % {"row": seen[code]},
                    )
                else:
                    seen[code] = number
        row = {
            "credit_code": code,
            "name": check.text("name", model=EnterpriseUnion, required=True),
            "employees": check.count("employees"),
            "members": check.count("members"),
            "has_union": check.boolean("has_union", False),
            "has_office": check.boolean("has_office", False),
            "chair_name": check.text("chair_name", model=EnterpriseUnion),
            "fulltime_cadre_name": check.text("fulltime_cadre_name", model=EnterpriseUnion),
            "phone": check.text("phone", model=EnterpriseUnion),
            "address": check.text("address", model=EnterpriseUnion),
            "is_active": check.boolean("is_active", True),
        }
        town_text = check.text("town", required=True)
        if town_text:
            row["district_union"] = check.unit("town", towns, town_text, NO_UNIT)
        if row["members"] > row["employees"]:
            check.error(
                "members",
                _("Union members (%(members)d) cannot outnumber the employees (%(employees)d).")
                % {"members": row["members"], "employees": row["employees"]},
            )
        if check.ok:
            valid.append((number, row))

    existing = {}
    for chunk in chunks([row["credit_code"] for _number, row in valid]):
        existing.update((e.credit_code, e) for e in EnterpriseUnion.objects.filter(credit_code__in=chunk))
    headers = {column.key: column.header for column in ENTERPRISE_COLUMNS}
    for number, row in valid:
        current = existing.get(row["credit_code"])
        changed = [] if current is None else [n for n in ENTERPRISE_FIELDS if differs(current, n, row[n])]
        change = Change(number, f"{row['name']}（{row['credit_code']}）")
        sort_row(plan, change, row, current, [headers[ENTERPRISE_FIELD_COLUMN.get(n, n)] for n in changed])
    return plan


CADRE_FIELDS = ["name", "unit", "post", "phone", "role", "is_active"]
CADRE_FIELD_COLUMN = {"unit": "unit"}


def plan_cadres(table: Table) -> Plan:
    """Checks every row; a constant number of queries per 500 rows."""
    plan = Plan(kind="cadre", total=len(table.rows), ignored_headers=table.ignored_headers)
    User = get_user_model()
    units = UnitIndex(DistrictUnion.objects.all())
    towns = town_index()
    username_validator = UnicodeUsernameValidator()
    valid = []
    emails: dict[str, int] = {}
    for number, values in table.rows:
        check = RowChecker(plan, number, values, CADRE_COLUMNS)
        login = check.text("login")
        if login:
            try:
                username_validator(login)
            except ValidationError:
                check.error("login", _("A login may contain only letters, digits and @ . + - _ (no spaces)."))
            if len(login) > 150:
                check.error(
                    "login",
                    _("At most %(max)d characters (this has %(length)d).")
                    % {"max": 150, "length": len(login)},
                )
        phone = check.text("phone", model=Cadre)
        if not login and not phone:
            check.error("login", _("Write a login or a phone number: one of them identifies the cadre."))
        row = {
            "login": login,
            "name": check.text("name", model=Cadre, required=True),
            "post": check.text("post", model=Cadre),
            "phone": phone,
            "is_active": check.boolean("is_active", True),
            "role": Cadre.Role.CADRE,
            "towns": set(),
        }
        unit_text = check.text("unit", required=True)
        if unit_text:
            row["unit"] = check.unit("unit", units, unit_text, NO_UNIT)
        role_text = values.get("role", "")
        if role_text:
            role = ROLE_WORDS.get(role_text.lower())
            if role is None:
                check.error(
                    "role", _("The role is 干部, 领导 or 管理员, not “%(value)s”.") % {"value": role_text}
                )
            row["role"] = role or Cadre.Role.CADRE
        for town_name in TOWN_SEPARATORS.split(values.get("towns", "")):
            town = check.unit("towns", towns, town_name, NO_TOWN) if town_name else None
            if town is not None:
                row["towns"].add(town.pk)
        # A column the file does not have leaves the directory's value alone.
        if "email" in values:
            row["email"] = _email(check, check.text("email", model=User), emails, number)
        if "enterprises" in values:
            row["enterprise_names"] = [
                t.strip() for t in ENTERPRISE_SEPARATORS.split(values["enterprises"]) if t.strip()
            ]
        if check.ok:
            valid.append((number, row, check))
    _resolve_enterprises(valid)

    by_phone = defaultdict(list)
    phones = [row["phone"] for _n, row, _c in valid if not row["login"]]
    for chunk in chunks(phones):
        for cadre in Cadre.objects.filter(phone__in=chunk).select_related("user"):
            by_phone[cadre.phone].append(cadre)
    for _n, row, check in valid:
        if not row["login"]:
            matches = by_phone.get(row["phone"], [])
            if len(matches) > 1:
                check.error("phone", _("Several cadres have this phone number: write their login instead."))
            elif matches:
                row["cadre"] = matches[0]
            else:
                row["login"] = row["phone"]  # a new cadre without a login signs in with the phone number
    valid = [item for item in valid if item[2].ok]
    users = {}
    for chunk in chunks([row["login"] for _n, row, _c in valid if "cadre" not in row]):
        users.update((u.username, u) for u in User.objects.filter(username__in=chunk).select_related("cadre"))
    matched = []
    seen: dict = {}
    for number, row, check in valid:
        if "cadre" not in row:
            user = users.get(row["login"])
            row["user"] = user
            row["cadre"] = getattr(user, "cadre", None) if user else None
        key = row["cadre"].pk if row["cadre"] else row["login"]
        if key in seen:
            check.error(
                "login" if row["login"] else "phone",
                _("Duplicate: row %(row)d of this file is the same cadre.") % {"row": seen[key]},
            )
            continue
        seen[key] = number
        matched.append((number, row))

    current_towns, current_enterprises = defaultdict(set), defaultdict(set)
    cadre_ids = [row["cadre"].pk for _n, row in matched if row["cadre"]]
    for chunk in chunks(cadre_ids):
        for cadre_id, town_id in Cadre.towns.through.objects.filter(cadre_id__in=chunk).values_list(
            "cadre_id", "districtunion_id"
        ):
            current_towns[cadre_id].add(town_id)
        for cadre_id, enterprise_id in Cadre.contact_enterprises.through.objects.filter(
            cadre_id__in=chunk
        ).values_list("cadre_id", "enterpriseunion_id"):
            current_enterprises[cadre_id].add(enterprise_id)
    headers = {column.key: column.header for column in CADRE_COLUMNS}
    for number, row in matched:
        current = row["cadre"]
        changed = [] if current is None else [n for n in CADRE_FIELDS if differs(current, n, row[n])]
        if current is not None and current_towns[current.pk] != row["towns"]:
            changed.append("towns")
        if current is not None and "email" in row and current.user.email != row["email"]:
            changed.append("email")
        if (
            current is not None
            and "enterprises" in row
            and current_enterprises[current.pk] != row["enterprises"]
        ):
            changed.append("enterprises")
        change = Change(number, f"{row['name']}（{row['login'] or row['phone']}）")
        sort_row(plan, change, row, current, [headers[CADRE_FIELD_COLUMN.get(n, n)] for n in changed])
    plan.errors.sort(key=lambda error: error.row)
    return plan


def _email(check: RowChecker, email: str, seen: dict[str, int], number: int) -> str:
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        check.error("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
        return email
    if email.lower() in seen:
        check.error(
            "email",
            _("Duplicate: row %(row)d of this file has the same e-mail address.")
            % {"row": seen[email.lower()]},
        )
    else:
        seen[email.lower()] = number
    return email


def _resolve_enterprises(valid: list) -> None:
    """定点联系企业: each name in a cell is a credit code or an enterprise's exact name.

    Queries the enterprises once per 500 codes and once per 500 names.
    """
    wanted = {name for _n, row, _c in valid for name in row.get("enterprise_names", ())}
    if not wanted:
        for _n, row, _c in valid:
            if "enterprise_names" in row:
                row["enterprises"] = set()
        return
    by_code, by_name = {}, defaultdict(set)
    codes = [name.upper() for name in wanted if len(name) == 18 and name.isalnum()]
    for chunk in chunks(codes):
        by_code.update(EnterpriseUnion.objects.filter(credit_code__in=chunk).values_list("credit_code", "pk"))
    for chunk in chunks(sorted(wanted)):
        for name, pk in EnterpriseUnion.objects.filter(name__in=chunk).values_list("name", "pk"):
            by_name[name].add(pk)
    for _n, row, check in valid:
        if "enterprise_names" not in row:
            continue
        row["enterprises"] = set()
        for name in row.pop("enterprise_names"):
            found = by_code.get(name.upper())
            named = by_name.get(name, set())
            if found is None and len(named) == 1:
                found = next(iter(named))
            if found is not None:
                row["enterprises"].add(found)
            elif named:
                check.error(
                    "enterprises",
                    _("Several enterprises are called “%(name)s”: write the credit code instead.")
                    % {"name": name},
                )
            else:
                check.error(
                    "enterprises",
                    _("No enterprise with the credit code or name “%(name)s” in the directory.")
                    % {"name": name},
                )


UNIT_FIELDS = ["name", "level", "code", "parent"]


def plan_units(table: Table) -> Plan:
    """Units of any level (name, level, division code, parent): a row matches the unit with its
    division code, else the one of that name below the same parent, else it adds a unit. A
    parent is a unit of the directory or of an earlier row of the file (an export lists the
    units from the top down). Each added or changed unit passes the admin's own checks
    (DistrictUnion.clean: the parent's level, the code's length, form and prefix). Queries the
    units once, plus once per changed unit (the levels of the units below it)."""
    plan = Plan(kind="unit", total=len(table.rows), ignored_headers=table.ignored_headers)
    units = list(DistrictUnion.objects.all())
    by_id = {u.pk: u for u in units}
    for unit in units:  # the tree in memory: the checks below walk it without queries
        unit.parent = by_id.get(unit.parent_id)
    index = UnitIndex(units)
    by_code = {u.code: u for u in units if u.code}
    by_place = {(u.parent_id, normalize_header(u.name)): u for u in units}
    seen: dict = {}
    headers = {column.key: column.header for column in UNIT_COLUMNS}
    for number, values in table.rows:
        check = RowChecker(plan, number, values, UNIT_COLUMNS)
        name = check.text("name", model=DistrictUnion, required=True)
        level_text = check.text("level", required=True)
        level = LEVEL_WORDS.get(normalize_header(level_text).lower()) if level_text else None
        if level_text and level is None:
            check.error(
                "level",
                _("The level is 省, 市, 区县, 镇, 街道 or 开发区, not “%(value)s”.") % {"value": level_text},
            )
        code = re.sub(r"\s", "", values.get("code", ""))
        try:
            validate_division_code(code)
        except ValidationError as exc:
            for message in exc.messages:
                check.error("code", message)
        parent_text = check.text("parent")
        parent = check.unit("parent", index, parent_text, NO_UNIT) if parent_text else None
        if not check.ok:
            continue
        current = by_code.get(code) if code else None
        place = (_key(parent), normalize_header(name))
        if current is None:
            current = by_place.get(place)
            if current is not None and code and current.code and current.code != code:
                current = None  # a namesake with another code: a unit of its own
        key = _key(current) if current is not None else (code or place)
        if key in seen:
            check.error(
                "name", _("Duplicate: row %(row)d of this file is the same unit.") % {"row": seen[key]}
            )
            continue
        seen[key] = number
        row = {
            "name": name,
            "level": level,
            "code": code or (current.code if current else ""),
            "parent": parent,
        }
        if current is not None:
            changed = [n for n in UNIT_FIELDS if _unit_differs(current, n, row[n])]
            if not changed:
                plan.unchanged += 1
                continue
        if current is not None and parent is not None and _below(parent, current):
            check.error("parent", _("A unit cannot belong to itself or to a unit below it."))
            continue
        candidate = DistrictUnion(pk=current.pk if current else None, path=current.path if current else "")
        candidate.name, candidate.level, candidate.code, candidate.parent = name, level, row["code"], parent
        try:
            candidate.clean()
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    check.error(field_name if field_name in headers else "name", message)
            continue
        change = Change(number, f"{name}（{row['code']}）" if row["code"] else name)
        if current is None:
            row["unit"] = candidate  # later rows may name it as their parent
            seen[_key(candidate)] = number
            by_place[place] = candidate
            if row["code"]:
                by_code[row["code"]] = candidate
            index.add(candidate)
            sort_row(plan, change, row, None, [])
        else:
            sort_row(plan, change, row, current, [headers[n] for n in changed])
            # Later rows see the unit as this row leaves it.
            current.name, current.level, current.code, current.parent = name, level, row["code"], parent
            index.add(current)
    plan.errors.sort(key=lambda error: error.row)
    return plan


def _key(unit: DistrictUnion | None):
    """A unit as a dictionary key, a unit the file adds (no id yet) included."""
    if unit is None:
        return None
    return unit.pk if unit.pk is not None else id(unit)


def _unit_differs(current: DistrictUnion, name: str, value) -> bool:
    if name == "parent":
        return _key(current.parent) != _key(value)
    return getattr(current, name) != value


def _below(unit: DistrictUnion, ancestor: DistrictUnion) -> bool:
    """The unit is the ancestor or lies below it, in the tree as the file leaves it. No query."""
    while unit is not None:
        if unit is ancestor:
            return True
        unit = unit.parent
    return False
