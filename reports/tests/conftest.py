"""A month of outreach in two towns, kept as plain Python lists so that tests can count
what the report should show without asking the database."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from lib.months import add_months, current_month, month_end
from outreach.models import Concern, Visit
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

DONE = {Visit.Status.SUBMITTED, Visit.Status.REVIEWED}


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime at a Beijing wall-clock time."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


@dataclass
class Scenario:
    month: datetime.date
    visits: list = field(default_factory=list)
    concerns: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def end(self) -> datetime.date:
        return month_end(self.month)

    def day(self, n: int) -> datetime.date:
        return self.month + datetime.timedelta(days=n - 1)

    def done_in_month(self, town_ids=None, cadre_ids=None) -> list[Visit]:
        """The month's done visits hosted in town_ids or written by cadre_ids (a leader's scope)."""
        return [
            v
            for v in self.visits
            if not v.is_deleted
            and v.status in DONE
            and self.month <= v.date <= self.end
            and (
                (town_ids is not None and v.town_id in town_ids)
                or (cadre_ids is not None and v.cadre_id in cadre_ids)
            )
        ]

    def visit(self, **kwargs) -> Visit:
        visit = VisitFactory(**kwargs)
        self.visits.append(visit)
        return visit

    def concern(self, received_on: datetime.date, typed_on: datetime.date | None = None, **kwargs) -> Concern:
        """A problem received on a day and typed in on another (by default two days later,
        at 10:00 Beijing time): the report goes by the day received."""
        concern = ConcernFactory(received_on=received_on, **kwargs)
        created_at = local(typed_on or received_on + datetime.timedelta(days=2), 10)
        Concern.objects.filter(pk=concern.pk).update(created_at=created_at)
        concern.created_at = created_at
        self.concerns.append(concern)
        return concern


@pytest.fixture
def other_town_cadre(other_town):
    return CadreFactory(unit=other_town, name="周海")


@pytest.fixture
def scenario(town, other_town, cadre, other_cadre, town_leader, other_town_cadre):
    """Two months ago (so that every deadline in it has passed), in 高新区 and 湖塘镇:

    - 许文静 (cadre) does all three kinds, the worker day on the month's last day;
    - 王强 (other_cadre) misses the worker day: one draft and one deleted worker day do not count;
    - 周海 of the other town does all three kinds there (only the district sees it);
    - days just before and after the month do not count.
    """
    s = Scenario(month=add_months(current_month(), -2))
    e1 = EnterpriseFactory(name="五洋纺织机械有限公司", district_union=town, employees=300, members=250)
    e2 = EnterpriseFactory(
        name="科能电子有限公司", district_union=town, employees=80, members=0, has_union=False
    )
    e3 = EnterpriseFactory(
        name="天合光能配件厂", district_union=town, employees=50, members=40, has_office=True
    )
    EnterpriseFactory(name="已注销企业", district_union=town, is_active=False)
    o1 = EnterpriseFactory(name="湖塘纺织有限公司", district_union=other_town, employees=500, members=450)
    s.enterprises = [e1, e2, e3, o1]
    cadre.contact_enterprises.set([e1, e3])
    other_cadre.contact_enterprises.set([e2])

    s.visit(cadre=cadre, kind="chairman", date=s.day(1), host_enterprise=None, host_union=town)
    s.visit(
        cadre=cadre,
        kind="office",
        date=s.day(10),
        host_enterprise=e1,
        suggestions="建议出台职工技能补贴政策。",
    )
    s.visit(cadre=cadre, kind="worker", date=s.end, host_enterprise=e2, worker_opinions='=HYPERLINK("x")')
    s.visit(cadre=other_cadre, kind="chairman", date=s.day(4), host_enterprise=e1, worker_opinions="")
    s.visit(cadre=other_cadre, kind="office", date=s.day(5), host_enterprise=e1, worker_opinions="")
    s.visit(cadre=other_cadre, kind="worker", date=s.day(6), host_enterprise=e2, status=Visit.Status.DRAFT)
    s.visit(cadre=other_cadre, kind="worker", date=s.day(7), host_enterprise=e2, is_deleted=True)
    s.visit(cadre=cadre, kind="worker", date=add_months(s.month, 1), host_enterprise=e1)
    s.visit(cadre=cadre, kind="worker", date=s.month - datetime.timedelta(days=1), host_enterprise=e1)
    s.visit(cadre=cadre, kind="office", date=add_months(s.month, -12), host_enterprise=e3, is_deleted=True)
    for kind, n in (("chairman", 2), ("office", 9), ("worker", 16)):
        s.visit(cadre=other_town_cadre, kind=kind, date=s.day(n), host_enterprise=o1, suggestions="外镇建议")

    def concern(day, typed_on=None, **kwargs):
        kwargs.setdefault("owner", cadre)
        kwargs.setdefault("enterprise", e1)
        return s.concern(day, typed_on, **kwargs)

    closed = Concern.Status.CLOSED
    concern(
        s.day(2),
        workers_affected=3,
        due_date=s.day(10),
        status=closed,
        closed_at=local(s.day(10), 20),
        satisfaction="satisfied",
    )
    # Closed at 00:30 Beijing time the day after the deadline (still the deadline's date in UTC): late.
    concern(
        s.day(3), category="wages", workers_affected=12, due_date=s.day(12), status=closed,
        closed_at=local(s.day(13), 0, 30), satisfaction="unsatisfied", owner=other_cadre,
    )  # fmt: skip
    concern(s.day(5), due_date=s.day(8))  # open and past its deadline: overdue
    concern(
        s.day(6), workers_affected=2, category="dispute", due_date=s.day(20), status=Concern.Status.RESOLVED
    )
    concern(
        s.day(7), category="hardship", due_date=s.day(15), status=closed,
        closed_at=local(s.day(14), 9), satisfaction="basically", enterprise=e2,
    )  # fmt: skip
    concern(s.day(8), due_date=s.day(18), status=closed, closed_at=local(s.day(16), 9))  # no rating
    # Received at a visit on the month's last day, typed in two days later: in the month.
    concern(s.end, category="legal_aid", due_date=timezone.localdate() + datetime.timedelta(days=30))
    # Typed in during the month but received the day after it ends: not in it.
    concern(add_months(s.month, 1), typed_on=s.day(20), due_date=s.end)
    # Received the day before the month, typed in on its first day: not in it either.
    concern(s.month - datetime.timedelta(days=1), typed_on=s.month, due_date=s.day(3))
    concern(s.day(9), due_date=s.day(10), is_deleted=True, workers_affected=40)
    concern(s.day(9), due_date=s.day(10), enterprise=o1, owner=other_town_cadre)
    return s
