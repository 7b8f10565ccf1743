"""run_notices: the notices of the day and their e-mails, each exactly once, through a real SMTP
server on 127.0.0.1 (aiosmtpd)."""

import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from outreach import services
from outreach.models import Notice, NoticePreference
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import EnterpriseFactory

from .smtp import free_port, mail_settings, smtp_server

pytestmark = pytest.mark.django_db
D = datetime.date


def _run(*args) -> str:
    out = StringIO()
    call_command("run_notices", *args, stdout=out)
    return out.getvalue()


def _with_email(cadre, address):
    cadre.user.email = address
    cadre.user.save()
    return cadre


@pytest.fixture
def returned(cadre, town_leader, town):
    _with_email(cadre, "xuwenjing@example.com")
    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town, name="科能电子"))
    return services.visit_return(visit=visit, reviewer=town_leader, reason="请补充职工反映的问题。")


def test_a_returned_visit_is_mailed_once_to_its_author(smtp, returned):
    out = _run("--date", "2026-11-10")
    [message] = smtp.to("xuwenjing@example.com")
    assert "退回" in message["Subject"] and "科能电子" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "请补充职工反映的问题。" in text and "请补充职工反映的问题。" in html
    notice = Notice.objects.get(kind=Notice.Kind.VISIT_RETURNED)
    assert f"http://testserver/notices/{notice.pk}/" in text
    assert notice.mail_state == "sent" and notice.mailed_at is not None
    assert "xuwenjing@example.com" in out
    _run("--date", "2026-11-10")
    assert len(smtp.to("xuwenjing@example.com")) == 1  # the second run sends nothing


def test_a_server_that_is_down_leaves_the_notice_waiting_and_the_next_run_delivers(settings, returned):
    port = free_port()
    mail_settings(settings, port)  # nothing listens there yet
    out = _run("--date", "2026-11-10")
    notice = Notice.objects.get(kind=Notice.Kind.VISIT_RETURNED)
    assert notice.mail_state == "pending" and notice.mail_attempts == 1 and notice.mail_error
    assert "下次运行时重试" in out
    with smtp_server(port) as (inbox, _port):
        _run("--date", "2026-11-10")
        _run("--date", "2026-11-10")
    assert len(inbox.to("xuwenjing@example.com")) == 1
    notice.refresh_from_db()
    assert notice.mail_state == "sent" and notice.mail_attempts == 2 and notice.mail_error == ""


def test_a_mail_claimed_by_an_overlapping_run_is_not_sent_again(smtp, returned):
    notice = Notice.objects.get(kind=Notice.Kind.VISIT_RETURNED)
    # another run holds it (claimed, sending): this run leaves it alone
    Notice.objects.filter(pk=notice.pk).update(claimed_until=timezone.now() + datetime.timedelta(minutes=5))
    _run("--date", "2026-11-10")
    assert smtp.messages == []
    # that run died: once its lease is over, the mail goes, once
    Notice.objects.filter(pk=notice.pk).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    _run("--date", "2026-11-10")
    _run("--date", "2026-11-10")
    assert len(smtp.messages) == 1


def test_problems_due_within_two_working_days_and_overdue(smtp, cadre, town):
    _with_email(cadre, "xuwenjing@example.com")
    enterprise = EnterpriseFactory(district_union=town, name="五洋纺织机械")
    # Thursday 2026-11-26: two working days on is Monday the 30th (the weekend does not count)
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="加班费未足额发放", due_date=D(2026, 11, 24)
    )
    ConcernFactory(owner=cadre, enterprise=enterprise, description="周一到期的", due_date=D(2026, 11, 30))
    ConcernFactory(owner=cadre, enterprise=enterprise, description="下周二到期的", due_date=D(2026, 12, 1))
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="已删除的", due_date=D(2026, 11, 2), is_deleted=True
    )
    _run("--date", "2026-11-26")
    kinds = dict(Notice.objects.filter(concern__isnull=False).values_list("concern__description", "kind"))
    assert kinds == {"加班费未足额发放": "problem_overdue", "周一到期的": "problem_due_soon"}
    subjects = [m["Subject"] for m in smtp.to("xuwenjing@example.com") if "诉求" in m["Subject"]]
    assert len(subjects) == 2 and any("逾期" in s for s in subjects)
    assert all("13812345678" not in m.as_string() for m in smtp.messages)  # no worker's phone by mail
    _run("--date", "2026-11-27")
    again = [m for m in smtp.to("xuwenjing@example.com") if "诉求" in m["Subject"]]
    # Friday: the same deadlines are not mailed again; Tuesday's is now two working days away
    assert len(again) == 3 and "下周二到期的" in again[-1]["Subject"]


def test_from_the_25th_cadres_behind_and_their_leaders_are_told(smtp, cadre, other_cadre, town_leader):
    _with_email(cadre, "xuwenjing@example.com")
    _with_email(town_leader, "leader@example.com")
    for kind in ("chairman", "office", "worker"):
        VisitFactory(cadre=cadre, kind=kind, date=D(2026, 11, 5), status="reviewed")
    _run("--date", "2026-11-24")
    assert not Notice.objects.filter(kind__in=["days_missing", "cadres_behind"]).exists()
    _run("--date", "2026-11-25")
    assert Notice.objects.filter(kind="days_missing", recipient=other_cadre).exists()
    assert not Notice.objects.filter(kind="days_missing", recipient=cadre).exists()
    behind = Notice.objects.get(kind="cadres_behind", recipient=town_leader)
    assert "王强" in behind.text and "许文静" not in behind.text
    assert any("未完成" in m["Subject"] for m in smtp.to("leader@example.com"))


def test_on_the_1st_every_leader_gets_last_months_report_with_the_workbook(smtp, town_leader, cadre):
    _with_email(town_leader, "leader@example.com")
    VisitFactory(cadre=cadre, date=D(2026, 11, 5), status="reviewed")
    _run("--date", "2026-12-01")
    [report] = [m for m in smtp.to("leader@example.com") if "月度报表" in m["Subject"]]
    assert "2026-11" in report["Subject"] and "高新区总工会" in report["Subject"]
    [attachment] = list(report.iter_attachments())
    assert attachment.get_filename().endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert len(workbook.sheetnames) >= 3
    assert any("每周汇总" in m["Subject"] for m in smtp.to("leader@example.com"))
    _run("--date", "2026-12-02")
    assert len([m for m in smtp.to("leader@example.com") if "月度报表" in m["Subject"]]) == 1


def test_preferences_mute_a_kind_or_gather_a_daily_digest(smtp, returned, cadre, town_leader, other_cadre):
    NoticePreference.objects.create(cadre=cadre, daily_digest=True)
    _with_email(other_cadre, "wangqiang@example.com")
    NoticePreference.objects.create(cadre=other_cadre, muted_kinds=["problem_handed_over"])
    concern = ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=cadre.unit))
    services.concern_handover(concern=concern, actor=cadre, to_owner=other_cadre, reason="他负责")
    services.visit_save(visit=returned, editor=cadre, action="submit")
    services.visit_review(visit=returned, reviewer=town_leader, comment="很好")
    _run("--date", "2026-11-10")
    [digest] = smtp.to("xuwenjing@example.com")  # one mail for the two notices
    text = digest.get_body(("plain",)).get_content()
    assert "请补充职工反映的问题。" in text and "很好" in text
    assert smtp.to("wangqiang@example.com") == []
    assert Notice.objects.get(recipient=other_cadre).mail_state == "off"
    _run("--date", "2026-11-10")
    assert len(smtp.to("xuwenjing@example.com")) == 1


def test_dry_run_changes_and_sends_nothing(smtp, returned):
    out = _run("--date", "2026-11-10", "--dry-run")
    assert smtp.messages == [] and "xuwenjing@example.com" in out
    assert Notice.objects.get(kind=Notice.Kind.VISIT_RETURNED).mail_state == "pending"


def test_send_reminders_is_the_same_command(smtp, returned):
    call_command("send_reminders", "--date", "2026-11-10", stdout=StringIO())
    assert len(smtp.to("xuwenjing@example.com")) == 1


def test_a_bad_date_is_refused_with_a_message(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "26/11/2026")


def test_no_address_or_an_inactive_cadre_is_not_mailed(smtp, cadre, town_leader, town):
    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town))
    services.visit_return(visit=visit, reviewer=town_leader, reason="请补充")
    out = _run("--date", "2026-11-10")
    assert smtp.messages == [] and "许文静" in out and "没有电子邮箱" in out
    assert Notice.objects.get(recipient=cadre).mail_state == "off"


def test_sendtestemail_goes_through_the_same_settings(smtp):
    call_command("sendtestemail", "office@example.com", stdout=StringIO())
    assert len(smtp.to("office@example.com")) == 1
