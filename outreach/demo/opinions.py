"""Demo 民情民意 for `seed_demo`: the last three months' opinions and suggestions tagged with
their themes by the area's leaders (the repeats of a month merged into its first), one item
forwarded and answered, and one published brief of last month for 高新区. Idempotent: when
any item exists, nothing is written."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from lib.months import add_months, current_month, month_end
from unions.models import Cadre

from ..models import Brief, Opinion, OpinionTheme, Visit
from ..services import (
    brief_create,
    brief_publish,
    brief_save_summaries,
    brief_set_items,
    opinion_answer,
    opinion_forward,
    opinion_merge,
    opinion_tag,
)

# The demo visits' texts (outreach/demo/visits.py) and the theme each belongs to.
THEMES = {
    "职工希望食堂增加晚班供餐。": "职工生活与文体活动",
    "倒班职工反映上下班交通不便，希望开通班车。": "工作时间与休息休假",
    "部分职工希望开展技能培训，提升岗位技能。": "技能培训",
    "外来务工人员关心子女入学问题。": "子女入学",
    "职工希望高温季节加强防暑降温措施。": "安全生产与劳动保护",
    "建议推动区域性工资集体协商。": "工资待遇",
    "建议加大对小微企业建会的支持力度。": "工会组织建设",
}
SUMMARIES = {
    "子女入学": "外来务工人员子女入学需求集中，建议教育部门统筹学位，工会做好政策宣传。",
    "技能培训": "职工提升技能的愿望强烈，建议依托职工学校开展订单式培训。",
}
# At most this many items per month and town: enough to show the counts, quick to seed.
PER_TOWN_MONTH = 6


@transaction.atomic
def seed_opinions() -> int:
    if Opinion.objects.exists():
        return 0
    leaders = {
        c.user.username: c
        for c in Cadre.objects.filter(user__username__in=["town_leader", "district_leader"]).select_related(
            "user", "unit"
        )
    }
    district_leader, town_leader = leaders.get("district_leader"), leaders.get("town_leader")
    if district_leader is None or town_leader is None:
        return 0
    themes = {t.name: t for t in OpinionTheme.objects.all()}
    first = add_months(current_month(), -2)
    visits = (
        Visit.objects.with_opinions()
        .filter(town_id__in=district_leader.scope_unit_ids, date__gte=first, date__lte=timezone.localdate())
        .order_by("date", "id")
    )
    made, per_slot, firsts = 0, {}, {}
    for visit in visits:
        for source, text in (("opinion", visit.worker_opinions), ("suggestion", visit.suggestions)):
            theme = themes.get(THEMES.get(text, ""))
            slot = (visit.town_id, visit.date.year, visit.date.month)
            if theme is None or per_slot.get(slot, 0) >= PER_TOWN_MONTH:
                continue
            leader = town_leader if visit.town_id in town_leader.scope_unit_ids else district_leader
            item = opinion_tag(visit=visit, actor=leader, source=source, theme=theme, text=text)
            per_slot[slot] = per_slot.get(slot, 0) + 1
            made += 1
            key = (*slot, text)
            if key in firsts:
                opinion_merge(opinion=item, original=firsts[key], actor=leader)
            else:
                firsts[key] = item
    _seed_brief(town_leader)
    return made


def _seed_brief(leader: Cadre) -> None:
    last_month = add_months(current_month(), -1)
    period = (
        Opinion.objects.alive()
        .originals()
        .in_subtree(leader.unit)
        .in_period(last_month, month_end(last_month))
    )
    if not period.exists():
        return  # no item last month: no brief rather than an empty one
    brief = brief_create(
        actor=leader, period=Brief.Period.MONTH, year=last_month.year, number=last_month.month
    )
    items = list(brief.candidates())
    brief = brief_set_items(brief=brief, actor=leader, add=items)
    themes = {item.theme.name: item.theme_id for item in items}
    summaries = {themes[name]: text for name, text in SUMMARIES.items() if name in themes}
    brief = brief_save_summaries(brief=brief, actor=leader, title=brief.title, summaries=summaries)
    forwarded = items[0]
    on = min(month_end(last_month) + datetime.timedelta(days=3), timezone.localdate())
    forwarded = opinion_forward(opinion=forwarded, actor=leader, forwarded_to="区人社局", forwarded_on=on)
    opinion_answer(
        opinion=forwarded, actor=leader, answer="已转相关部门研究办理，下月反馈办理结果。", answered_on=on
    )
    brief_publish(brief=brief, actor=leader)
