import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def month(cadre, other_cadre, town_leader, admin_cadre, town):
    """A seeded November 2026: 许文静 did all three days and owns problems near their deadline;
    王强 has no e-mail address and did one day; the town leader did none."""
    cadre.user.email = "xuwenjing@example.com"
    cadre.user.save()
    town_leader.user.email = "leader@example.com"
    town_leader.user.save()
    enterprise = EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="加班费未足额发放", due_date=D(2026, 11, 24)
    )
    ConcernFactory(owner=cadre, enterprise=enterprise, description="食堂伙食差", due_date=D(2026, 11, 28))
    ConcernFactory(owner=cadre, enterprise=enterprise, description="下个月到期的", due_date=D(2026, 11, 29))
    ConcernFactory(
        owner=cadre,
        enterprise=enterprise,
        description="已办结的",
        due_date=D(2026, 11, 2),
        status="closed",
        closed_at=timezone.now(),
    )
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="已删除的", due_date=D(2026, 11, 2), is_deleted=True
    )
    ConcernFactory(
        owner=other_cadre, enterprise=enterprise, description="王强的逾期问题", due_date=D(2026, 11, 20)
    )
    for kind in ("chairman", "office", "worker"):
        VisitFactory(cadre=cadre, kind=kind, date=D(2026, 11, 5), status="reviewed")
    VisitFactory(cadre=other_cadre, kind="worker", date=D(2026, 11, 6), status="submitted")
    VisitFactory(cadre=town_leader, kind="office", date=D(2026, 11, 7), status="draft")  # not done
    VisitFactory(cadre=town_leader, kind="chairman", date=D(2026, 10, 30), status="reviewed")  # last month
    return {"cadre": cadre, "other_cadre": other_cadre, "town_leader": town_leader}


def test_it_reminds_owners_and_cadres_behind_on_their_days(month):
    out = _run("--date", "2026-11-26")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"xuwenjing@example.com", "leader@example.com"}

    owner_mail = by_recipient["xuwenjing@example.com"]
    assert "提醒" in owner_mail.subject and "2026-11-26" in owner_mail.subject
    assert "加班费未足额发放" in owner_mail.body and "食堂伙食差" in owner_mail.body
    assert "下个月到期的" not in owner_mail.body and "已办结的" not in owner_mail.body
    assert "已删除的" not in owner_mail.body
    assert "逾期" in owner_mail.body and "五洋纺织机械有限公司" in owner_mail.body
    assert "13812345678" not in owner_mail.body  # the worker's phone never goes out by e-mail
    assert "学当一天" not in owner_mail.body  # all three days done

    leader_mail = by_recipient["leader@example.com"]
    for label in ("学当一天基层工会主席", "学当一天企业工会办公室专职干部", "学当一天企业普通职工"):
        assert label in leader_mail.body

    assert "许文静" in out and "xuwenjing@example.com" in out
    assert "王强" in out and "电子邮箱" in out  # skipped, and says why
    assert "2 条" in out or "2" in out.split("许文静")[1].splitlines()[0]
    assert "admin" not in out.lower() and "吴志伟" not in out  # directory admins are not reminded of days


def test_before_the_25th_only_deadlines_are_reminded(month):
    _run("--date", "2026-11-24")
    assert [m.to[0] for m in mail.outbox] == ["xuwenjing@example.com"]
    assert "学当一天" not in mail.outbox[0].body


def test_dry_run_sends_nothing_but_says_what_it_would_send(month):
    out = _run("--date", "2026-11-26", "--dry-run")
    assert mail.outbox == []
    assert "许文静" in out and "leader@example.com" in out


def test_nothing_due_sends_nothing(db, capsys):
    out = _run("--date", "2026-11-10")
    assert mail.outbox == [] and "0" in out


def test_bad_date_is_refused_with_a_message(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "26/11/2026")


def test_inactive_owners_are_not_written_to(town):
    gone = CadreFactory(unit=town, is_active=False)
    gone.user.email = "gone@example.com"
    gone.user.save()
    ConcernFactory(owner=gone, enterprise=EnterpriseFactory(district_union=town), due_date=D(2026, 11, 20))
    _run("--date", "2026-11-24")
    assert mail.outbox == []
