"""Demo referrals for `seed_demo`: demo problems referred to 困难职工帮扶 and 法律援助, in each
state. Idempotent: a problem that has a referral is left as it is."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from unions.models import Cadre

from ..models import Concern
from ..services import referral_open, referral_transition

# (problem's text, kind, fields, steps: (leader's login, status, note))
REFERRALS = [
    (
        "一线职工王某家属患重病，家庭困难，申请困难职工帮扶。",
        "hardship",
        {
            "household_members": 4,
            "monthly_income_per_head": Decimal("860.00"),
            "hardship_cause": "illness",
            "housing": "租住企业宿舍",
            "health": "配偶患尿毒症，需长期透析",
        },
        [("town_leader", "accepted", "")],
    ),
    (
        "职工工伤认定遇到困难，需要法律援助。",
        "legal_aid",
        {"dispute_type": "injury", "amount_in_dispute": Decimal("48000.00"), "workers_concerned": 1},
        [],
    ),
    (
        "企业拖欠部分职工两个月工资。",
        "legal_aid",
        {"dispute_type": "wage_arrears", "amount_in_dispute": Decimal("96500.00"), "workers_concerned": 7},
        [
            ("district_leader", "accepted", ""),
            ("district_leader", "helped", "区职工法律援助工作站代理劳动仲裁，企业已补发全部工资。"),
        ],
    ),
    (
        "劳务派遣工反映未签订劳动合同。",
        "legal_aid",
        {"dispute_type": "contract", "workers_concerned": 1},
        [("district_leader", "not_eligible", "经核实已补签劳动合同，无需法律援助。")],
    ),
]


@transaction.atomic
def seed_referrals() -> int:
    leaders = {
        c.user.username: c
        for c in Cadre.objects.filter(user__username__in=["town_leader", "district_leader"]).select_related(
            "user"
        )
    }
    made = 0
    for text, kind, fields, steps in REFERRALS:
        concern = (
            Concern.objects.alive().filter(description=text).select_related("enterprise", "owner").first()
        )
        if concern is None or concern.referrals.exists() or concern.status == Concern.Status.CLOSED:
            continue
        employer = concern.enterprise.name if concern.enterprise else "常州市某劳务派遣有限公司"
        extra = {"employer": employer} if kind == "legal_aid" else {}
        referral = referral_open(
            concern=concern,
            actor=concern.owner,
            kind=kind,
            worker_name=concern.worker_name,
            worker_phone=concern.worker_phone,
            **fields,
            **extra,
        )
        for login, status, note in steps:
            referral = referral_transition(
                referral=referral, actor=leaders[login], to_status=status, note=note
            )
        made += 1
    return made
