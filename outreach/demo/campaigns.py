"""Demo campaign for `seed_demo`: 武进区's 「三个100」 with nominations open and a few
nominations from 高新区, and two model cases. Idempotent: what exists is left as it is."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from unions.models import Cadre, EnterpriseUnion

from ..models import Campaign, CampaignCategory, ModelCase, Visit
from ..services import nomination_create

CATEGORIES = [
    ("百家模范职工之家", CampaignCategory.NomineeKind.ENTERPRISE),
    ("百名优秀工会干部", CampaignCategory.NomineeKind.CADRE),
    ("百个优秀走访案例", CampaignCategory.NomineeKind.VISIT),
]
CASES = [
    (
        "跟班劳动中化解加班费纠纷",
        "在车间跟班劳动一天，职工反映加班费计算不清；当场与企业人事部门核对，明确计算办法并张榜公示，职工满意。",
    ),
    (
        "帮助企业工会办公室建立台账",
        "与企业工会专职干部一起梳理会员、活动、经费台账，现场解答疑问，形成可推广的台账样式。",
    ),
]


@transaction.atomic
def seed_campaigns() -> int:
    people = {
        c.user.username: c
        for c in Cadre.objects.filter(
            user__username__in=["district_leader", "town_leader", "town_cadre"]
        ).select_related("user", "unit", "unit__parent")
    }
    if len(people) < 3:
        return 0
    district_leader, town_leader = people["district_leader"], people["town_leader"]
    today = timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        name="三个100",
        unit=district_leader.unit,
        defaults={
            "description": "百家模范职工之家、百名优秀工会干部、百个优秀走访案例评选（宣传、推进、检查、考核、奖励）。",
            "nomination_opens": today - datetime.timedelta(days=10),
            "nomination_closes": today + datetime.timedelta(days=20),
            "review_closes": today + datetime.timedelta(days=50),
            "created_by": district_leader,
        },
    )
    categories = {}
    for position, (name, kind) in enumerate(CATEGORIES):
        categories[kind], _ = CampaignCategory.objects.get_or_create(
            campaign=campaign, name=name, defaults={"nominee_kind": kind, "quota": 100, "position": position}
        )
    visits = list(
        Visit.objects.alive()
        .filter(town=town_leader.unit, status=Visit.Status.REVIEWED, date__lte=today)
        .select_related("host_enterprise", "host_union")
        .order_by("-date", "id")[:3]
    )
    made = 0
    if created and campaign.can_nominate(town_leader, today):
        enterprises = EnterpriseUnion.objects.filter(district_union=town_leader.unit, has_union=True)
        nominees = [
            (categories["enterprise"], e, "职工之家建设规范，工会工作办公室运转良好，职工活动经常。")
            for e in enterprises.order_by("-members")[:3]
        ]
        nominees.append(
            (
                categories["cadre"],
                people["town_cadre"],
                "每月完成「三个一天」，首问负责、限时办结，职工满意度高。",
            )
        )
        nominees += [
            (categories["visit"], v, "走访中现场解答职工疑问，跟踪解决问题，做法可复制。") for v in visits[:1]
        ]
        for category, nominee, reason in nominees:
            nomination_create(
                category=category, actor=town_leader, nominee=nominee, reason=reason, today=today
            )
            made += 1
    for visit, (title, write_up) in zip(visits, CASES, strict=False):
        _, new = ModelCase.objects.get_or_create(
            visit=visit, defaults={"title": title, "write_up": write_up, "marked_by": town_leader}
        )
        made += new
    return made
