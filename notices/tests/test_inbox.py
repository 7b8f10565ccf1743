"""The inbox: a notice per event that needs me, the bell's count, opening, marking read."""

import pytest
from django.urls import reverse

from outreach import services
from outreach.models import Notice, NoticePreference
from outreach.services.notices import notice_visit_reviewed
from outreach.tests.factories import ConcernFactory, NoticeFactory, VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(cadre, town_leader, town):
    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town, name="科能电子"))
    return services.visit_return(visit=visit, reviewer=town_leader, reason="请补充职工反映的问题。")


def test_it_requires_login(client):
    response = client.get(reverse("notices:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_returned_visit_gives_its_author_one_notice_with_the_reason(login, cadre, returned):
    notice = Notice.objects.get(recipient=cadre)
    assert notice.kind == Notice.Kind.VISIT_RETURNED and notice.text == "请补充职工反映的问题。"
    body = login(cadre).get(reverse("notices:inbox")).content.decode()
    assert "我的走访被退回" in body and "请补充职工反映的问题。" in body and "科能电子" in body
    assert 'id="notice-count">1<' in body  # the bell
    assert 'id="phone-bell"' in body  # on a phone, beside the menu button


def test_the_review_after_the_resubmit_is_a_second_notice(cadre, town_leader, returned):
    services.visit_save(visit=returned, editor=cadre, action="submit")
    services.visit_review(visit=returned, reviewer=town_leader, comment="很好")
    kinds = list(Notice.objects.filter(recipient=cadre).values_list("kind", "text").order_by("id"))
    assert kinds == [("visit_returned", "请补充职工反映的问题。"), ("visit_reviewed", "很好")]


def test_the_same_event_never_makes_two_notices(cadre, returned):
    notice_visit_reviewed(visit=returned, returned=True)
    assert Notice.objects.filter(recipient=cadre).count() == 1


def test_a_hand_over_tells_the_new_owner_and_an_escalation_the_units_leaders(
    cadre, other_cadre, town_leader, town
):
    concern = ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=town))
    services.concern_handover(concern=concern, actor=cadre, to_owner=other_cadre, reason="他负责这家企业")
    assert Notice.objects.get(recipient=other_cadre).kind == Notice.Kind.PROBLEM_HANDED_OVER
    concern.refresh_from_db()
    services.concern_escalate(concern=concern, actor=other_cadre, escalated_to="区人社局")
    notice = Notice.objects.get(recipient=town_leader)
    assert notice.kind == Notice.Kind.PROBLEM_ESCALATED and "区人社局" in notice.text
    assert not Notice.objects.filter(recipient=cadre).exists()


def test_opening_a_notice_marks_it_read_and_goes_to_the_visit(login, cadre, returned):
    client = login(cadre)
    notice = Notice.objects.get(recipient=cadre)
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == returned.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'id="notice-count"' not in client.get(reverse("notices:inbox")).content.decode()


def test_a_notice_of_a_deleted_visit_says_it_is_no_longer_available(login, cadre, returned):
    returned.soft_delete()
    notice = Notice.objects.get(recipient=cadre)
    response = login(cadre).get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 200 and "已不存在" in response.content.decode()


def test_a_deleted_problem_is_no_longer_available(login, cadre, town, town_leader):
    concern = ConcernFactory(owner=town_leader, enterprise=EnterpriseFactory(district_union=town))
    services.concern_handover(concern=concern, actor=town_leader, to_owner=cadre, reason="请跟进")
    notice = Notice.objects.get(recipient=cadre)
    concern.refresh_from_db()
    services.concern_delete(concern=concern, actor=town_leader)
    response = login(cadre).get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 200 and "已不存在" in response.content.decode()


def test_someone_elses_notice_is_not_found(login, cadre, other_cadre, returned):
    notice = Notice.objects.get(recipient=cadre)
    client = login(other_cadre)
    assert client.get(reverse("notices:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 404
    client.post(reverse("notices:read_all"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_and_all_read(login, cadre):
    first, second, third = NoticeFactory.create_batch(3, recipient=cadre)
    client = login(cadre)
    client.post(reverse("notices:read", args=[first.pk]))
    assert 'id="notice-count">2<' in client.get(reverse("notices:inbox")).content.decode()
    response = client.post(reverse("notices:read_all"), follow=True)
    assert "2 条通知已标为已读" in response.content.decode()
    assert not Notice.objects.filter(recipient=cadre, read_at__isnull=True).exists()


def test_the_inbox_and_its_bell_query_the_same_whatever_the_number(login, cadre, django_assert_num_queries):
    NoticeFactory.create_batch(3, recipient=cadre)
    client = login(cadre)
    url = reverse("notices:inbox")
    client.get(url)
    with django_assert_num_queries(12, exact=False) as small:
        client.get(url)
    NoticeFactory.create_batch(20, recipient=cadre)
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert 'id="notice-count">23<' in body


def test_the_bell_says_99_plus_past_ninety_nine_unread(login, cadre):
    NoticeFactory.create_batch(99, recipient=cadre)
    client = login(cadre)
    assert 'id="notice-count">99<' in client.get(reverse("notices:inbox")).content.decode()
    NoticeFactory(recipient=cadre)
    assert 'id="notice-count">99+<' in client.get(reverse("notices:inbox")).content.decode()


def test_preferences_mute_kinds_and_choose_the_daily_digest(login, cadre):
    client = login(cadre)
    assert client.get(reverse("notices:preferences")).status_code == 200
    mailed = [k for k in Notice.Kind.values if k not in ("daily_digest", "visit_reviewed")]
    response = client.post(reverse("notices:preferences"), {"mailed": mailed, "daily_digest": "on"})
    assert response.status_code == 302
    preference = NoticePreference.objects.get(cadre=cadre)
    assert preference.daily_digest and preference.muted_kinds == ["visit_reviewed"]
    bad = client.post(reverse("notices:preferences"), {"mailed": ["nonsense"]})
    assert bad.status_code == 400 and "nonsense" in bad.content.decode()
