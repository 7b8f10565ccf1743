"""A realistic demo district for `seed_demo`: 武进区总工会, its towns and zones, enterprises, cadres.

Deterministic (a fixed random seed) and keyed on natural keys, so running it twice gives
the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Cadre, DistrictUnion, EnterpriseUnion
from .validators import credit_code_check_char

# Printed on purpose: demo data only (seed_demo refuses to run when DEBUG is off).
DEMO_PASSWORD = "sangeyitian2026"  # noqa: S105  # nosec B105

CITY = ("常州市总工会", "320400")
DISTRICT = ("武进区总工会", "320412")
# A second district of the city, smaller: the city's report has two districts to compare.
OTHER_DISTRICT = ("新北区总工会", "320411")
OTHER_TOWNS = [
    ("三井街道总工会", "320411001000", "street"),
    ("河海街道总工会", "320411002000", "street"),
    ("薛家镇总工会", "320411100000", "town"),
    ("罗溪镇总工会", "320411101000", "town"),
]
# (name, code, level); 高新区总工会 comes from the seed report.
TOWNS = [
    ("高新区总工会", "320412400000", "zone"),
    ("湖塘镇总工会", "320412100000", "town"),
    ("牛塘镇总工会", "320412101000", "town"),
    ("洛阳镇总工会", "320412102000", "town"),
    ("遥观镇总工会", "320412103000", "town"),
    ("横林镇总工会", "320412104000", "town"),
    ("横山桥镇总工会", "320412105000", "town"),
    ("雪堰镇总工会", "320412106000", "town"),
    ("前黄镇总工会", "320412107000", "town"),
    ("礼嘉镇总工会", "320412108000", "town"),
    ("西太湖开发区总工会", "320412401000", "zone"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏飞宇浩然俊峰晓东海波亮林云海燕春梅雪松"
ENTERPRISE_WORDS = [
    "精密",
    "纺织",
    "机械",
    "电子",
    "新材料",
    "光电",
    "智能",
    "汽车零部件",
    "化工",
    "医疗器械",
    "环保",
    "印染",
    "模具",
    "电气",
    "食品",
    "物流",
    "钢结构",
    "塑业",
    "五金",
    "服饰",
]
ENTERPRISE_PREFIX = [
    "恒",
    "天",
    "华",
    "金",
    "永",
    "宏",
    "鑫",
    "瑞",
    "盛",
    "博",
    "远",
    "东",
    "新",
    "中",
    "长",
    "润",
    "正",
    "信",
    "嘉",
    "亚",
]
ENTERPRISE_SUFFIX = ["有限公司", "股份有限公司", "科技有限公司", "集团有限公司"]
STREETS = ["人民路", "延政路", "常武路", "武宜路", "长虹路", "淹城路", "龙锦路", "花园街", "滆湖路", "西湖路"]
POSTS_HQ = ["组织部部长", "权益保障部副部长", "办公室主任", "经审办科员", "宣教部干事", "基层工作部干事"]

# From the seed report: the enterprises 蒋亚诚 visited in 高新区.
STORY_ENTERPRISES = [
    ("五洋纺织机械有限公司", "向保年", 860, 720),
    ("科能电子有限公司", "", 430, 310),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    name: str
    unit: str


def make_credit_code(rng: random.Random, division: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + division[:6] + "".join(rng.choice(alphabet) for _ in range(9))
    return body + credit_code_check_char(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _user(username: str, password_hash: str, *, staff: bool = False, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        # One hash for every demo account: hashing 60 times would take seconds.
        user.password = password_hash
    user.is_staff = staff
    user.is_superuser = superuser
    user.save()
    return user


def _cadre(
    username: str, password_hash: str, *, name: str, unit: DistrictUnion, post: str, role: str, phone: str
) -> Cadre:
    user = _user(username, password_hash, staff=role == Cadre.Role.ADMIN, superuser=role == Cadre.Role.ADMIN)
    cadre, _created = Cadre.objects.update_or_create(
        user=user, defaults={"name": name, "unit": unit, "post": post, "role": role, "phone": phone}
    )
    return cadre


@transaction.atomic
def seed_directory(*, enterprises: int = 300, cadres: int = 60) -> list[DemoLogin]:
    """Create or refresh the demo directory; returns the demo logins."""
    # Reproducible demo data, not a secret.
    rng = random.Random(20260301)  # nosec B311
    password_hash = make_password(DEMO_PASSWORD)
    city, _ = DistrictUnion.objects.update_or_create(
        code=CITY[1], defaults={"name": CITY[0], "level": "city", "parent": None}
    )
    district, _ = DistrictUnion.objects.update_or_create(
        code=DISTRICT[1], defaults={"name": DISTRICT[0], "level": "district", "parent": city}
    )
    towns = []
    for name, code, level in TOWNS:
        town, _ = DistrictUnion.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": district}
        )
        towns.append(town)
    gaoxin = towns[0]

    all_enterprises: list[EnterpriseUnion] = []
    for index in range(enterprises):
        town = gaoxin if index < len(STORY_ENTERPRISES) else towns[index % len(towns)]
        code = make_credit_code(rng, DISTRICT[1])
        employees = rng.choice([30, 45, 60, 80, 120, 150, 220, 300, 480, 650, 900, 1500])
        has_union = rng.random() < 0.78
        has_office = has_union and rng.random() < 0.55
        members = int(employees * rng.uniform(0.6, 0.98)) if has_union else 0
        chair = person_name(rng) if has_union else ""
        fulltime = person_name(rng) if has_office else ""
        if index < len(STORY_ENTERPRISES):
            name, fulltime, employees, members = STORY_ENTERPRISES[index]
            fulltime = fulltime or person_name(rng)
            chair = person_name(rng)
            has_union = has_office = True
        else:
            name = (
                "常州"
                + rng.choice(ENTERPRISE_PREFIX)
                + rng.choice(ENTERPRISE_PREFIX)
                + rng.choice(ENTERPRISE_WORDS)
                + rng.choice(ENTERPRISE_SUFFIX)
            )
            if index % 37 == 0:
                name = name.replace("常州", "江苏")
        enterprise, _ = EnterpriseUnion.objects.update_or_create(
            credit_code=code,
            defaults={
                "name": name,
                "district_union": town,
                "employees": employees,
                "members": members,
                "has_union": has_union,
                "has_office": has_office,
                "chair_name": chair,
                "fulltime_cadre_name": fulltime,
                "phone": f"0519-8{rng.randint(1000000, 9999999)}",
                "address": f"{town.name.removesuffix('总工会')}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            },
        )
        all_enterprises.append(enterprise)

    logins = [
        DemoLogin("admin", Cadre.Role.ADMIN, "吴志伟", district.name),
        DemoLogin("district_leader", Cadre.Role.LEADER, "蒋亚诚", district.name),
        DemoLogin("town_leader", Cadre.Role.LEADER, "吴允超", gaoxin.name),
        DemoLogin("cadre", Cadre.Role.CADRE, "汤俊涛", district.name),
        DemoLogin("town_cadre", Cadre.Role.CADRE, "许文静", gaoxin.name),
    ]
    posts = {
        "admin": "办公室主任",
        "district_leader": "区总工会主席",
        "town_leader": "高新区总工会专职副主席",
        "cadre": "基层工作部干事",
        "town_cadre": "高新区总工会干事",
    }
    units = {district.name: district, gaoxin.name: gaoxin}
    people: list[Cadre] = []
    for login in logins:
        people.append(
            _cadre(
                login.username,
                password_hash,
                name=login.name,
                unit=units[login.unit],
                post=posts[login.username],
                role=login.role,
                phone=f"139{rng.randint(10000000, 99999999)}",
            )
        )
    # Headquarters staff (分片包镇) and each town/zone's chair and staff.
    for index in range(cadres - len(people)):
        if index < 14:
            unit, post, role = district, POSTS_HQ[index % len(POSTS_HQ)], Cadre.Role.CADRE
        else:
            town = towns[(index - 14) % len(towns)]
            is_chair = (index - 14) < len(towns)
            unit = town
            post = town.name.removesuffix("总工会") + ("总工会主席" if is_chair else "总工会干事")
            role = Cadre.Role.LEADER if is_chair and town != gaoxin else Cadre.Role.CADRE
        people.append(
            _cadre(
                f"cadre{index + 1:03d}",
                password_hash,
                name=person_name(rng),
                unit=unit,
                post=post,
                role=role,
                phone=f"13{rng.randint(100000000, 999999999)}",
            )
        )

    by_town: dict[int, list[EnterpriseUnion]] = {}
    for enterprise in all_enterprises:
        by_town.setdefault(enterprise.district_union_id, []).append(enterprise)
    for index, cadre in enumerate(people):
        if cadre.unit_id == district.pk:
            assigned = [towns[index % len(towns)], towns[(index + 3) % len(towns)]]
        else:
            assigned = [cadre.unit]
        cadre.towns.set(assigned)
        pool = [e for town in assigned for e in by_town.get(town.pk, [])]
        contacts = rng.sample(pool, k=min(4, len(pool)))
        if cadre.name == "蒋亚诚":
            contacts = all_enterprises[:2] + contacts[:2]
        cadre.contact_enterprises.set(contacts)
    _other_district(city, password_hash)
    city_leader = DemoLogin("city_leader", Cadre.Role.LEADER, "陈建华", city.name)
    _cadre(
        city_leader.username,
        password_hash,
        name=city_leader.name,
        unit=city,
        post="市总工会副主席",
        role=city_leader.role,
        phone="13961120001",
    )
    return [city_leader, *logins]


def _other_district(city: DistrictUnion, password_hash: str) -> None:
    """新北区总工会 and its streets and towns, with enterprises and cadres (their own random
    generator: 武进区's demo rows stay as they were)."""
    rng = random.Random(20261203)  # nosec B311 - demo data, repeatable on purpose
    district, _ = DistrictUnion.objects.update_or_create(
        code=OTHER_DISTRICT[1], defaults={"name": OTHER_DISTRICT[0], "level": "district", "parent": city}
    )
    towns = []
    for name, code, level in OTHER_TOWNS:
        town, _ = DistrictUnion.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": district}
        )
        towns.append(town)
    by_town: dict[int, list[EnterpriseUnion]] = {town.pk: [] for town in towns}
    for index in range(40):
        town = towns[index % len(towns)]
        employees = rng.choice([40, 60, 90, 150, 260, 420, 800])
        enterprise, _ = EnterpriseUnion.objects.update_or_create(
            credit_code=make_credit_code(rng, OTHER_DISTRICT[1]),
            defaults={
                "name": "常州新北"
                + rng.choice(ENTERPRISE_PREFIX)
                + rng.choice(ENTERPRISE_WORDS)
                + rng.choice(ENTERPRISE_SUFFIX),
                "district_union": town,
                "employees": employees,
                "members": int(employees * 0.8),
                "has_union": True,
                "has_office": rng.random() < 0.5,
                "chair_name": person_name(rng),
                "phone": f"0519-8{rng.randint(1000000, 9999999)}",
                "address": f"{town.name.removesuffix('总工会')}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            },
        )
        by_town[town.pk].append(enterprise)
    people = [(district, "新北区总工会主席", Cadre.Role.LEADER)]
    people += [(district, POSTS_HQ[i % len(POSTS_HQ)], Cadre.Role.CADRE) for i in range(3)]
    for town in towns:
        short = town.name.removesuffix("总工会")
        people += [
            (town, f"{short}总工会主席", Cadre.Role.LEADER),
            (town, f"{short}总工会干事", Cadre.Role.CADRE),
        ]
    for index, (unit, post, role) in enumerate(people):
        cadre = _cadre(
            f"xinbei{index + 1:03d}",
            password_hash,
            name=person_name(rng),
            unit=unit,
            post=post,
            role=role,
            phone=f"13{rng.randint(100000000, 999999999)}",
        )
        assigned = (
            [unit] if unit != district else [towns[index % len(towns)], towns[(index + 1) % len(towns)]]
        )
        cadre.towns.set(assigned)
        pool = [e for town in assigned for e in by_town[town.pk]]
        cadre.contact_enterprises.set(rng.sample(pool, k=min(3, len(pool))))
