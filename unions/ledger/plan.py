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
from ..validators import validate_credit_code
from . import chunks
from .check import Change, Plan, RowChecker, UnitIndex, differs, sort_row, town_index
from .format import CADRE_COLUMNS, ENTERPRISE_COLUMNS, ENTERPRISE_SEPARATORS, ROLE_WORDS, TOWN_SEPARATORS
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
