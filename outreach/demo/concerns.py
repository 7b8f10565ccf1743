"""Demo problems for `seed_demo`: every status, some overdue relative to today, a hand-over,
an escalation, a deleted one, received outside a visit on a day relative to today; and a few
problems raised at the demo visits of every month of the demo year, received on the visit's
date. Idempotent: a problem is keyed on who received it and its text, or on its visit."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from lib.months import add_months
from unions.models import Cadre, EnterpriseUnion

from ..models import Concern, ConcernEvent, Visit
from ..services import (
    concern_create,
    concern_delete,
    concern_escalate,
    concern_handover,
    concern_transition,
)

# (receiver, category, description, enterprise name or None for "one in the receiver's area",
#  worker, phone, received days ago, steps). Steps: "start", "resolve", "close:<satisfaction>",
#  "handover", "escalate", "delete".
PROBLEMS = [
    (
        "town_cadre",
        "wages",
        "职工反映加班费计算方式不清楚，要求企业公开计算标准。",
        "五洋纺织机械有限公司",
        "李强",
        "13812345678",
        30,
        [],
    ),
    (
        "town_cadre",
        "hardship",
        "一线职工王某家属患重病，家庭困难，申请困难职工帮扶。",
        "五洋纺织机械有限公司",
        "王红梅",
        "13961234567",
        18,
        ["start"],
    ),
    (
        "town_cadre",
        "dispute",
        "两个班组因排班问题发生矛盾，需要工会出面协调。",
        "科能电子有限公司",
        "陈建国",
        "13706112233",
        6,
        [],
    ),
    (
        "town_cadre",
        "concern",
        "职工希望改善食堂伙食和夜班用餐。",
        "科能电子有限公司",
        "刘芳",
        "13515001122",
        4,
        ["start"],
    ),
    (
        "town_cadre",
        "legal_aid",
        "职工工伤认定遇到困难，需要法律援助。",
        "五洋纺织机械有限公司",
        "赵磊",
        "13805196677",
        9,
        ["start", "escalate"],
    ),
    (
        "town_cadre",
        "suggestion",
        "建议企业设立职工书屋，丰富业余文化生活。",
        "科能电子有限公司",
        "",
        "",
        12,
        ["resolve"],
    ),
    (
        "town_cadre",
        "wages",
        "企业尚未开展工资集体协商，职工希望了解协商程序。",
        "五洋纺织机械有限公司",
        "孙伟",
        "15061234321",
        25,
        ["start", "resolve", "close:satisfied"],
    ),
    (
        "town_cadre",
        "concern",
        "职工反映宿舍热水供应时间太短。",
        "科能电子有限公司",
        "周静",
        "18912345678",
        30,
        ["start", "resolve", "close:basically"],
    ),
    (
        "town_cadre",
        "dispute",
        "职工对绩效考核扣款有异议。",
        "五洋纺织机械有限公司",
        "吴涛",
        "13951112222",
        28,
        ["resolve", "close:unsatisfied"],
    ),
    (
        "town_cadre",
        "hardship",
        "职工子女上学需要金秋助学帮扶。",
        "科能电子有限公司",
        "郑娟",
        "13813579246",
        6,
        ["handover"],
    ),
    (
        "town_cadre",
        "answered",
        "职工询问如何办理工会会员卡，已现场解答。",
        "科能电子有限公司",
        "黄敏",
        "",
        2,
        ["resolve"],
    ),
    ("town_cadre", "other", "误录的重复记录。", "科能电子有限公司", "", "", 3, ["delete"]),
    ("cadre", "legal_aid", "劳务派遣工反映未签订劳动合同。", None, "马超", "13685201234", 19, []),
    ("cadre", "concern", "职工反映车间噪音大，劳动防护用品不足。", None, "林秀", "13770001111", 3, ["start"]),
    (
        "cadre",
        "wages",
        "企业拖欠部分职工两个月工资。",
        None,
        "高勇",
        "13906145555",
        22,
        ["start", "escalate", "resolve"],
    ),
    (
        "cadre",
        "hardship",
        "职工因病致困，申请临时救助。",
        None,
        "何平",
        "15195556666",
        26,
        ["start", "resolve", "close:satisfied"],
    ),
]


def _at(day: datetime.date) -> datetime.datetime:
    """10:00 on the day, Beijing time, but never later than now (a timeline has no future)."""
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0))), timezone.now())


def _other_cadre(receiver: Cadre) -> Cadre:
    return (
        Cadre.objects.active()
        .filter(unit=receiver.unit, role=Cadre.Role.CADRE)
        .exclude(pk=receiver.pk)
        .order_by("user__username")
        .first()
        or Cadre.objects.active().exclude(pk=receiver.pk).order_by("user__username").first()
    )


def _enterprise(receiver: Cadre, name: str | None, index: int) -> EnterpriseUnion:
    if name:
        found = EnterpriseUnion.objects.filter(name=name).order_by("pk").first()
        if found:
            return found
    area = receiver.towns.order_by("pk").first() or receiver.unit
    pool = EnterpriseUnion.objects.filter(district_union=area).order_by("pk")
    return (
        pool[index % max(pool.count(), 1)]
        if pool.exists()
        else EnterpriseUnion.objects.order_by("pk").first()
    )


@transaction.atomic
def seed_concerns(*, today: datetime.date | None = None) -> int:
    """Create the demo problems that are missing; returns how many were created."""
    today = today or timezone.localdate()
    receivers = {
        c.user.username: c
        for c in Cadre.objects.select_related("user").filter(
            user__username__in={spec[0] for spec in PROBLEMS}
        )
    }
    for username in ("cadre", "town_cadre"):
        # So that `send_reminders` has someone to write to in development (console backend).
        if username in receivers and not receivers[username].user.email:
            receivers[username].user.email = f"{username}@example.invalid"
            receivers[username].user.save(update_fields=["email"])
    created = 0
    for index, (username, category, text, ent_name, worker, phone, days_ago, steps) in enumerate(PROBLEMS):
        receiver = receivers.get(username)
        if receiver is None or Concern.objects.filter(received_by=receiver, description=text).exists():
            continue
        enterprise = _enterprise(receiver, ent_name, index)
        received_on = today - datetime.timedelta(days=days_ago)
        # Received on the day given (a call, a visit to the office), so its deadline stays
        # relative to today; the problems raised at the demo visits come below.
        details = {"category": category, "description": text, "worker_name": worker, "worker_phone": phone}
        concern = concern_create(
            received_by=receiver,
            enterprise=enterprise,
            workers_affected=WORKERS.get(category, 1),
            answered_on_site=category == "answered",
            received_on=received_on,
            **details,
        )
        _play(concern, receiver, steps)
        _backdate(concern, received_on, today)
        created += 1
    return created + _seed_visit_problems(today)


# Problems raised at the demo visits, a few in every month of the demo year, so that each
# month's report has problems received in it. (category, description, workers affected)
VISIT_PROBLEMS = [
    ("wages", "职工反映企业拖欠{n}名职工上月加班工资。", 3),
    ("concern", "职工希望车间增加防暑降温设施。", 1),
    ("hardship", "一线职工家庭遭遇变故，申请困难职工帮扶。", 1),
    ("dispute", "班组之间因计件分配产生矛盾，涉及{n}名职工。", 6),
    ("legal_aid", "{n}名职工劳动合同到期未续签，需要法律咨询。", 2),
    ("suggestion", "职工建议企业开设技能培训夜校。", 1),
]
WORKERS = {"wages": 4, "dispute": 2}
PER_MONTH = 4


def _seed_visit_problems(today: datetime.date) -> int:
    """Up to PER_MONTH problems for each month of the demo year, each raised at a done worker
    day of that month and received on its date. Idempotent: a visit that already has a
    problem is left alone. Older problems are closed, the last weeks' still being worked on."""
    visits = list(
        Visit.objects.alive()
        .done()
        .filter(kind=Visit.Kind.WORKER, host_enterprise__isnull=False, date__lte=today)
        .filter(date__gte=add_months(today.replace(day=1), -11))
        .select_related("cadre", "host_enterprise")
        .order_by("date", "id")
    )
    with_problems = set(Concern.objects.filter(visit__in=visits).values_list("visit_id", flat=True))
    by_month: dict[datetime.date, list[Visit]] = {}
    for visit in visits:
        by_month.setdefault(visit.date.replace(day=1), []).append(visit)
    created = 0
    for month, month_visits in sorted(by_month.items()):
        for index, visit in enumerate(month_visits[:PER_MONTH]):
            if visit.pk in with_problems:
                continue
            category, text, workers = VISIT_PROBLEMS[(month.month + index) % len(VISIT_PROBLEMS)]
            concern = concern_create(
                received_by=visit.cadre,
                visit=visit,
                category=category,
                description=text.format(n=workers),
                workers_affected=workers,
            )
            age = (today - visit.date).days
            if age > 40:
                steps = ["start", "resolve", f"close:{['satisfied', 'basically', 'unsatisfied'][index % 3]}"]
            elif age > 10:
                steps = ["start", "resolve"][: index % 3]
            else:
                steps = []
            _play(concern, visit.cadre, steps)
            _backdate(concern, visit.date, today, typed_after=index % 3, span=min(max(age, 1), 12 + index))
            created += 1
    return created


def _play(concern: Concern, owner: Cadre, steps: list[str]) -> None:
    for step in steps:
        if step == "start":
            concern = concern_transition(
                concern=concern, actor=owner, to_status="in_progress", note="已与企业工会联系"
            )
        elif step == "resolve":
            concern = concern_transition(
                concern=concern,
                actor=owner,
                to_status="resolved",
                note="经协调，企业已落实整改，并向职工作了说明。",
            )
        elif step.startswith("close:"):
            concern = concern_transition(
                concern=concern,
                actor=owner,
                to_status="closed",
                callback_note="电话回访职工，职工确认问题已解决。",
                satisfaction=step.split(":")[1],
            )
        elif step == "handover":
            concern = concern_handover(
                concern=concern,
                actor=owner,
                to_owner=_other_cadre(owner),
                reason="属帮扶业务，转交负责帮扶的同志办理",
            )
        elif step == "escalate":
            concern = concern_escalate(
                concern=concern, actor=owner, escalated_to="区人社局劳动保障监察大队", note="企业未按期整改"
            )
        elif step == "delete":
            concern = concern_delete(concern=concern, actor=owner)


def _backdate(
    concern: Concern,
    received_on: datetime.date,
    today: datetime.date,
    *,
    typed_after: int = 0,
    span: int | None = None,
) -> None:
    """Spread the timeline over `span` days (default: all the days since the problem was
    received); the problem was typed in `typed_after` days after it was received."""
    events = list(ConcernEvent.objects.filter(concern=concern).order_by("id"))
    span = max((today - received_on).days if span is None else span, 1)
    typed = min(received_on + datetime.timedelta(days=typed_after), today)
    for position, event in enumerate(events):
        offset = min(span, round(span * position / max(len(events), 1)))
        event.created_at = _at(max(typed, received_on + datetime.timedelta(days=offset)))
    ConcernEvent.objects.bulk_update(events, ["created_at"])
    Concern.objects.filter(pk=concern.pk).update(created_at=_at(typed))
    closed = [e for e in events if e.to_status == Concern.Status.CLOSED]
    if closed:
        Concern.objects.filter(pk=concern.pk).update(closed_at=closed[0].created_at)
