"""Twelve months of demo visits for `seed_demo`, with the seed report's own story.

Deterministic (a fixed random seed) and run once: when the story visit is already there,
nothing is written, so a second run gives the same rows.
"""

from __future__ import annotations

import calendar
import datetime
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lib.months import month_end, week_spans
from unions.demo import DISTRICT
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from ..models import Visit

STORY_MARK = "与专职工会副主席吴允超共同研究和探讨高新区总工会年度工会工作的思路计划及重点工作"

STORY = [
    {
        "kind": Visit.Kind.CHAIRMAN,
        "day": 10,
        "host_union": "高新区总工会",
        "topics": ["office_role", "leadership"],
        "people_met": "高新区总工会专职副主席吴允超；高新区管委会党政领导",
        "work_done": STORY_MARK
        + "，商定推进工作的具体措施。结合高新区规模企业多、工会基础弱的实际，建议：一是从域内企业的摸底排查入手，"
        "建立详细的企业工会情况数据库，明确组建工会、建立工会工作办公室的目标任务；二是加强总工会自身建设；"
        "三是重视典型的选树；四是重视企业工会工作办公室的建设；五是加强企业工会干部的选配和培养；"
        "六是扎实开展“三个100”评选活动。",
        "suggestions": "在加强对工会工作的领导、健全工会领导班子、建设职工活动场所、完善工会网络等方面"
        "与管委会形成共识，争取党政对工会工作的重视与支持。",
        "reflections": "学当一天基层工会主席，计划部署要更符合基层工作实际。",
    },
    {
        "kind": Visit.Kind.OFFICE,
        "day": 12,
        "host_enterprise": "五洋纺织机械有限公司",
        "topics": ["office_role", "ideology", "activities", "ledgers"],
        "people_met": "企业工会专职干部向保年及工会办公室工作人员",
        "work_done": "在企业工会工作办公室当一天专职干部，围绕如何发挥办公室作用、如何开展职工思想政治工作、"
        "如何结合企业开展工会活动、如何建好工会台账和资料，与工会办公室工作人员深入探讨和分析。",
        "answered_questions": "现场解答向保年提出的疑问和困惑：开展工会活动时间受限、经费不足，"
        "企业工会如何制定工作计划，以及如何处理行政、工会、职工三者关系。",
        "worker_opinions": "工会活动多安排在班后，职工参与积极性高，希望活动经费有保障。",
        "reflections": "鼓励他们增强信心，通过规范工作、提升档次、增强实效赢得企业党政的信任，获得职工群众的信赖。"
        "向保年说：“有了蒋主席的指导，一些疑点和困惑都豁然开朗了，工作的思路更清了，劲头也更大了。”",
    },
    {
        "kind": Visit.Kind.OFFICE,
        "day": 13,
        "host_enterprise": "科能电子有限公司",
        "topics": ["office_role", "ledgers", "leadership"],
        "people_met": "科能电子有限公司总经理唐芬；企业工会办公室工作人员",
        "work_done": "在科能电子有限公司工会工作办公室当一天专职干部，查看工会台账和资料，"
        "探讨工会工作办公室如何赢得企业领导的重视和支持。",
        "answered_questions": "解答办公室人员关于工会台账如何建立、如何做到客观有效的问题。",
        "suggestions": "总经理唐芬表示，企业工会工作办公室还有很大潜力可挖，只要赋予更多资源，"
        "企业助手和职工娘家的作用将愈加突出。",
    },
]

WORK = {
    Visit.Kind.CHAIRMAN: [
        "与{host}主席一起研究年度工作计划，逐条商定推进措施。",
        "列席{host}工会委员会会议，学习基层工会主席如何布置工作。",
        "与{host}主席共同梳理建会、建办公室的目标任务和时间表。",
    ],
    Visit.Kind.OFFICE: [
        "在{host}工会工作办公室当一天专职干部，整理工会台账和会议记录。",
        "协助{host}工会办公室筹备职工技能比武，学习办公室日常运作。",
        "与{host}工会办公室人员探讨如何开展职工思想政治工作。",
    ],
    Visit.Kind.WORKER: [
        "在{host}生产车间跟班劳动一天，体验一线职工的辛劳。",
        "在{host}装配线上和职工一起上班，午饭在职工食堂与职工交流。",
        "随{host}夜班职工上岗，了解倒班职工的工作和生活情况。",
    ],
}
OPINIONS = [
    "职工希望食堂增加晚班供餐。",
    "倒班职工反映上下班交通不便，希望开通班车。",
    "部分职工希望开展技能培训，提升岗位技能。",
    "外来务工人员关心子女入学问题。",
    "职工希望高温季节加强防暑降温措施。",
    "",
]
ANSWERS = [
    "解答了工会会费收缴和使用的规定。",
    "解答了职工互助保障的参保办法。",
    "解答了困难职工帮扶的申请条件和流程。",
    "",
]
SUGGESTIONS = ["建议推动区域性工资集体协商。", "建议加大对小微企业建会的支持力度。", "", ""]
REFLECTIONS = ["只有沉到基层，才能真正了解职工所思所盼。", "基层工会干部工作辛苦，需要更多培训和支持。", ""]
TOPICS = [t for t in Visit.Topic.values if t != "other"]


def _months(today: datetime.date, count: int = 12) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _visit(rng, *, cadre, kind, date, status, host_union=None, host_enterprise=None, **texts) -> Visit:
    host_name = (host_enterprise or host_union).name
    now = timezone.now()
    done_or_returned = (Visit.Status.SUBMITTED, Visit.Status.REVIEWED, Visit.Status.RETURNED)
    host = {
        "host_union": host_union,
        "host_enterprise": host_enterprise,
        "town_id": host_enterprise.district_union_id if host_enterprise else host_union.pk,
    }
    notes = {
        "topics": texts.pop("topics", rng.sample(TOPICS, k=rng.randint(1, 3))),
        "work_done": "" if status == Visit.Status.PLANNED else rng.choice(WORK[kind]).format(host=host_name),
        "worker_opinions": rng.choice(OPINIONS) if kind == Visit.Kind.WORKER else "",
        "answered_questions": rng.choice(ANSWERS) if kind == Visit.Kind.OFFICE else "",
        "suggestions": rng.choice(SUGGESTIONS),
        "reflections": rng.choice(REFLECTIONS),
    }
    submitted_at = now if status in done_or_returned else None
    planned_for = date if status == Visit.Status.PLANNED else None
    visit = Visit(
        cadre=cadre,
        kind=kind,
        date=date,
        status=status,
        planned_for=planned_for,
        submitted_at=submitted_at,
        **host,
        **notes,
    )
    for name, value in texts.items():
        setattr(visit, name, value)
    return visit


@transaction.atomic
def seed_visits(*, today: datetime.date | None = None) -> int:
    """Create 12 months of visits once; returns the number of visits in the database."""
    if Visit.objects.filter(work_done__startswith=STORY_MARK).exists():
        return Visit.objects.count()
    today = today or timezone.localdate()
    rng = random.Random(20260302)  # nosec B311 - demo data, repeatable on purpose
    everyone = list(
        Cadre.objects.active()
        .exclude(role=Cadre.Role.ADMIN)
        .select_related("unit")
        .prefetch_related("towns", "contact_enterprises")
        .order_by("pk")
    )
    # 武进区's cadres first, with the generator as it always was (the story rows depend on it);
    # the other districts' afterwards, with a generator of their own.
    home = DistrictUnion.objects.filter(code=DISTRICT[1]).first()
    cadres = [c for c in everyone if home is None or c.unit.path.startswith(home.path)]
    elsewhere = [c for c in everyone if c not in cadres]
    main_rng, other_rng = rng, random.Random(20261204)  # nosec B311 - demo data, repeatable on purpose
    by_town: dict[int, list[EnterpriseUnion]] = {}
    for enterprise in EnterpriseUnion.objects.active().filter(has_union=True).order_by("pk"):
        by_town.setdefault(enterprise.district_union_id, []).append(enterprise)
    reviewers = {c.unit_id: c for c in everyone if c.is_leader}
    district_leader = next((c for c in cadres if not c.unit.is_grassroots and c.is_leader), None)
    admin = Cadre.objects.filter(role=Cadre.Role.ADMIN).order_by("pk").first()
    months = _months(today)
    story_month = months[3]  # the seed report's March, a few months back

    visits: list[Visit] = []
    companions: list[tuple[int, Cadre]] = []
    # 每周一天下基层: about a third of the cadres go down every week (a generator of its own,
    # so that the rest of the demo stays as it was).
    weekly_rng = random.Random(20260304)  # nosec B311 - demo data, repeatable on purpose
    for cadre in [*cadres, *elsewhere]:
        rng = main_rng if cadre in cadres else other_rng
        mates = cadres if rng is main_rng else elsewhere
        towns = list(cadre.towns.all()) or [cadre.unit]
        contacts = list(cadre.contact_enterprises.all())
        diligent = rng.random() < 0.8  # most cadres do their three days most months
        weekly = weekly_rng.random() < 0.35
        for year, month in months:
            if cadre.name == "蒋亚诚" and (year, month) == story_month:
                continue
            last_day = calendar.monthrange(year, month)[1]
            is_current = (year, month) == (today.year, today.month)
            days_so_far = today.day if is_current else last_day
            done_all = rng.random() < (0.85 if diligent else 0.4)
            kinds = list(Visit.Kind) if done_all else rng.sample(list(Visit.Kind), k=rng.randint(0, 2))
            if is_current:
                kinds = kinds[: rng.randint(0, len(kinds))]
            for kind in kinds:
                date = datetime.date(year, month, rng.randint(1, max(1, days_so_far)))
                town = rng.choice(towns)
                pool = contacts + by_town.get(town.pk, [])
                if kind == Visit.Kind.CHAIRMAN and (rng.random() < 0.4 or not pool):
                    host = {"host_union": town}
                else:
                    host = {"host_enterprise": rng.choice(pool)} if pool else {"host_union": town}
                roll = rng.random()
                if is_current or (year, month) == months[-2]:
                    status = rng.choice(
                        [Visit.Status.SUBMITTED] * 5
                        + [Visit.Status.DRAFT, Visit.Status.RETURNED, Visit.Status.REVIEWED]
                    )
                else:
                    status = Visit.Status.REVIEWED if roll < 0.85 else Visit.Status.SUBMITTED
                visit = _visit(rng, cadre=cadre, kind=kind, date=date, status=status, **host)
                if status in (Visit.Status.REVIEWED, Visit.Status.RETURNED):
                    reviewer = reviewers.get(cadre.unit_id) or district_leader
                    if reviewer is None or reviewer.pk == cadre.pk:
                        reviewer = admin
                    visit.reviewer = reviewer
                    visit.reviewed_at = visit.submitted_at
                    if status == Visit.Status.REVIEWED:
                        visit.review_comment = "记录翔实。"
                    else:
                        visit.return_reason = "请补充职工的具体意见。"
                visits.append(visit)
                if rng.random() < 0.15:
                    mate = rng.choice(mates)
                    if mate.pk != cadre.pk:
                        companions.append((len(visits) - 1, mate))
            if weekly:
                first = datetime.date(year, month, 1)
                for visit in _weekly_days(weekly_rng, cadre, visits, first, today, towns, contacts, by_town):
                    if visit.status == Visit.Status.REVIEWED:
                        reviewer = reviewers.get(cadre.unit_id) or district_leader
                        visit.reviewer = admin if reviewer is None or reviewer.pk == cadre.pk else reviewer
                        visit.reviewed_at = visit.submitted_at
                        visit.review_comment = "记录翔实。"
                    visits.append(visit)
            if is_current and rng.random() < 0.5:
                # Planned ahead: a day later this month or early next month.
                ahead = today + datetime.timedelta(days=rng.randint(1, 12))
                town = rng.choice(towns)
                visits.append(
                    _visit(
                        rng,
                        cadre=cadre,
                        kind=rng.choice(list(Visit.Kind)),
                        date=ahead,
                        status=Visit.Status.PLANNED,
                        host_union=town,
                    )
                )

    visits.extend(_story(main_rng, story_month, admin))
    created = bulk_create_with_history(visits, Visit, batch_size=500, default_change_reason="seed_demo")
    through = Visit.companions.through
    through.objects.bulk_create(
        [through(visit_id=created[index].pk, cadre_id=mate.pk) for index, mate in companions],
        ignore_conflicts=True,
    )
    return Visit.objects.count()


def _weekly_days(rng, cadre, visits, first, today, towns, contacts, by_town) -> list[Visit]:
    """A done day in each week of the month (lib.months.week_spans) that has none yet, on a
    day of the month within the week and not after today."""
    DONE = (Visit.Status.SUBMITTED, Visit.Status.REVIEWED)
    done_days = {v.date for v in visits if v.cadre is cadre and v.status in DONE}
    added = []
    for monday, sunday in week_spans(first):
        if any(monday <= day <= sunday for day in done_days):
            continue
        start, end = max(monday, first), min(sunday, month_end(first), today)
        if start > end:
            continue  # a week still to come
        date = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
        town = rng.choice(towns)
        pool = contacts + by_town.get(town.pk, [])
        host = {"host_enterprise": rng.choice(pool)} if pool else {"host_union": town}
        kind = rng.choice(list(Visit.Kind))
        status = Visit.Status.REVIEWED if (today - date).days > 45 else Visit.Status.SUBMITTED
        added.append(_visit(rng, cadre=cadre, kind=kind, date=date, status=status, **host))
    return added


def _story(rng, month: tuple[int, int], reviewer: Cadre | None) -> list[Visit]:
    """蒋亚诚's three visits from the seed report."""
    chairman = Cadre.objects.filter(user__username="district_leader").first()
    if chairman is None:
        return []
    unions = {u.name: u for u in DistrictUnion.objects.filter(name__in=[s.get("host_union") for s in STORY])}
    enterprises = {
        e.name: e for e in EnterpriseUnion.objects.filter(name__in=[s.get("host_enterprise") for s in STORY])
    }
    visits = []
    for story in STORY:
        story = dict(story)
        host_union = unions.get(story.pop("host_union", None))
        host_enterprise = enterprises.get(story.pop("host_enterprise", None))
        if host_union is None and host_enterprise is None:
            continue
        visit = _visit(
            rng,
            cadre=chairman,
            kind=story.pop("kind"),
            date=datetime.date(month[0], month[1], story.pop("day")),
            status=Visit.Status.REVIEWED,
            host_union=host_union,
            host_enterprise=host_enterprise,
            **{
                "worker_opinions": "",
                "answered_questions": "",
                "suggestions": "",
                "reflections": "",
                **story,
            },
        )
        visit.reviewer = reviewer
        visit.reviewed_at = visit.submitted_at
        visit.review_comment = "典型做法，供各镇（开发区）总工会学习。"
        visits.append(visit)
    return visits
