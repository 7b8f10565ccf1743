"""Problem lists: the leaders' filtered list, "my problems", the home page notices; query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import Concern
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _days(n):
    return _today() + datetime.timedelta(days=n)


def _batch(n, owner, town, **kwargs):
    return [
        ConcernFactory(
            owner=owner,
            enterprise=EnterpriseFactory(district_union=town),
            description=f"问题{i}",
            due_date=_days(i - 1),
            **kwargs,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("url_name", "who"), [("concern_list", "district_leader"), ("concern_mine", "cadre")]
)
def test_list_query_count_is_constant(request, client, cadre, town, django_assert_num_queries, url_name, who):
    viewer = request.getfixturevalue(who)
    owners = [cadre] if who == "cadre" else [cadre, CadreFactory(unit=town)]

    def add(count):
        # A mix of pending and closed problems, so that both parts of "my problems" have rows.
        for i in range(count):
            closed = {"status": "closed", "closed_at": timezone.now()} if i % 3 == 0 else {}
            _batch(1, owners[i % len(owners)], town, **closed)

    add(3)
    client.force_login(viewer.user)
    url = reverse(f"outreach:{url_name}")
    client.get(url)
    with django_assert_num_queries(12, exact=False) as small:
        client.get(url)
    add(27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["cadre", "town_leader"])
def test_home_query_count_is_constant(request, client, cadre, town, django_assert_num_queries, who):
    viewer = request.getfixturevalue(who)
    _batch(3, cadre, town)
    client.force_login(viewer.user)
    client.get(reverse("home"))
    # A leader's overdue and due-this-week lists read ids first (two queries more).
    with django_assert_num_queries(17, exact=False) as small:
        client.get(reverse("home"))
    _batch(27, cadre, town)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))


def test_leader_list_hides_other_towns(login, town_leader, cadre, town, other_town):
    ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=town), description="本区问题")
    ConcernFactory(enterprise=EnterpriseFactory(district_union=other_town), description="外镇问题")
    body = login(town_leader).get(reverse("outreach:concern_list")).content.decode()
    assert "本区问题" in body and "外镇问题" not in body


def test_cadre_list_shows_only_own_problems(login, cadre, other_cadre, town):
    ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=town), description="我的问题")
    ConcernFactory(
        owner=other_cadre, enterprise=EnterpriseFactory(district_union=town), description="别人的问题"
    )
    body = login(cadre).get(reverse("outreach:concern_list")).content.decode()
    assert "我的问题" in body and "别人的问题" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"overdue": "1"}, {"描述甲"}),
        ({"due_week": "1"}, {"描述乙"}),
        ({"status": "closed"}, {"描述丙"}),
        ({"category": "legal_aid"}, {"描述丁"}),
        ({"q": "纺织"}, {"描述甲"}),
        ({"owner": "OTHER"}, {"描述丁"}),
        ({"town": "OTHER_TOWN"}, {"描述戊"}),
        ({"month": "2020-01"}, {"描述己"}),
    ],
)
def test_leader_filters(login, district_leader, cadre, other_cadre, town, other_town, params, expected):
    today = _today()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    textile = EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")
    plain = EnterpriseFactory(district_union=town, name="科能电子有限公司")
    ConcernFactory(owner=cadre, enterprise=textile, description="描述甲", due_date=_days(-3))
    ConcernFactory(owner=cadre, enterprise=plain, description="描述乙", due_date=sunday)
    ConcernFactory(
        owner=cadre,
        enterprise=plain,
        description="描述丙",
        status="closed",
        closed_at=timezone.now(),
        due_date=_days(-10),
    )
    ConcernFactory(
        owner=other_cadre,
        enterprise=plain,
        description="描述丁",
        category="legal_aid",
        due_date=_days(30),
    )
    ConcernFactory(
        enterprise=EnterpriseFactory(district_union=other_town), description="描述戊", due_date=_days(30)
    )
    old = ConcernFactory(owner=cadre, enterprise=plain, description="描述己", due_date=_days(40))
    Concern.objects.filter(pk=old.pk).update(received_on=datetime.date(2020, 1, 15))
    params = {
        k: {"OTHER": str(other_cadre.pk), "OTHER_TOWN": str(other_town.pk)}.get(v, v)
        for k, v in params.items()
    }
    body = login(district_leader).get(reverse("outreach:concern_list"), params).content.decode()
    shown = {text for text in ["描述甲", "描述乙", "描述丙", "描述丁", "描述戊", "描述己"] if text in body}
    assert shown == expected


def test_bad_filter_values_do_not_break_the_page(login, district_leader, cadre, town):
    _batch(2, cadre, town)
    response = login(district_leader).get(
        reverse("outreach:concern_list"), {"month": "2026-13", "town": "abc", "status": "nope", "page": "x"}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_empty_list_says_so(login, district_leader):
    response = login(district_leader).get(reverse("outreach:concern_list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0


def test_list_paginates(login, district_leader, cadre, town):
    _batch(30, cadre, town)
    client = login(district_leader)
    first = client.get(reverse("outreach:concern_list"))
    assert len(first.context["page_obj"].object_list) == 25
    second = client.get(reverse("outreach:concern_list"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_my_problems_sorted_by_deadline_with_overdue_marked(login, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    ConcernFactory(owner=cadre, enterprise=enterprise, description="后到期", due_date=_days(5))
    ConcernFactory(owner=cadre, enterprise=enterprise, description="已逾期", due_date=_days(-2))
    ConcernFactory(owner=cadre, enterprise=enterprise, description="明天到期", due_date=_days(1))
    response = login(cadre).get(reverse("outreach:concern_mine"))
    assert [c.description for c in response.context["pending"]] == ["已逾期", "明天到期", "后到期"]
    body = response.content.decode()
    assert body.count("list-group-item-danger") == 1
    assert body.index("已逾期") < body.index("明天到期") < body.index("后到期")


# --- home page notices ---


def test_cadre_home_lists_problems_due_within_two_working_days_or_overdue(login, cadre, town, monkeypatch):
    thursday = datetime.date(2026, 11, 26)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: thursday)
    enterprise = EnterpriseFactory(district_union=town)
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="已逾期的问题", due_date=datetime.date(2026, 11, 25)
    )
    # Two working days after a Thursday is the Monday: the weekend does not count.
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="周一到期的问题", due_date=datetime.date(2026, 11, 30)
    )
    ConcernFactory(
        owner=cadre, enterprise=enterprise, description="周二到期的问题", due_date=datetime.date(2026, 12, 1)
    )
    body = login(cadre).get(reverse("home")).content.decode()
    assert "已逾期的问题" in body and "周一到期的问题" in body and "周二到期的问题" not in body


def test_cadre_home_reminds_of_missing_days_after_the_25th(login, cadre, monkeypatch):
    day = datetime.date(2026, 11, 26)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 3), kind="worker", status="submitted")
    VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 4), kind="office", status="draft")
    response = login(cadre).get(reverse("home"))
    assert [k.value for k in response.context["missing_kinds"]] == ["chairman", "office"]


def test_cadre_home_has_no_month_notice_before_the_25th_or_when_all_done(login, cadre, monkeypatch):
    day = datetime.date(2026, 11, 24)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    client = login(cadre)
    assert "missing_kinds" not in client.get(reverse("home")).context
    day = datetime.date(2026, 11, 25)
    for kind in ("chairman", "office", "worker"):
        VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 2), kind=kind, status="reviewed")
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    assert client.get(reverse("home")).context["missing_kinds"] == []


def test_leader_home_shows_overdue_and_due_this_week_in_scope_at_the_top(
    login, town_leader, cadre, town, other_town
):
    today = _today()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    ConcernFactory(
        owner=cadre,
        enterprise=EnterpriseFactory(district_union=town),
        description="本区逾期",
        due_date=_days(-4),
    )
    ConcernFactory(
        owner=cadre,
        enterprise=EnterpriseFactory(district_union=town),
        description="本区本周",
        due_date=sunday,
    )
    ConcernFactory(
        enterprise=EnterpriseFactory(district_union=other_town), description="外镇逾期", due_date=_days(-4)
    )
    body = login(town_leader).get(reverse("home")).content.decode()
    assert "本区逾期" in body and "本区本周" in body and "外镇逾期" not in body
    assert reverse("outreach:concern_list") + "?overdue=1" in body


def test_leader_home_counts_overdue_problems_up_to_the_cap(login, monkeypatch, town_leader, cadre, town):
    for n in range(3):
        ConcernFactory(
            owner=cadre,
            enterprise=EnterpriseFactory(district_union=town),
            description=f"逾期{n}",
            due_date=_days(-4),
        )
    client = login(town_leader)
    assert "本辖区有 3 条逾期诉求" in client.get(reverse("home")).content.decode()
    monkeypatch.setattr("lib.pagination.COUNT_CAP", 2)
    body = client.get(reverse("home")).content.decode()
    assert "本辖区有超过 2 条逾期诉求" in body


def test_my_problems_show_the_first_to_fall_due_when_there_are_many(login, monkeypatch, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    for n in range(4):
        ConcernFactory(owner=cadre, enterprise=enterprise, description=f"待办{n}", due_date=_days(n + 1))
    monkeypatch.setattr("outreach.views.concerns.PENDING_SHOWN", 3)
    response = login(cadre).get(reverse("outreach:concern_mine"))
    assert [c.description for c in response.context["pending"]] == ["待办0", "待办1", "待办2"]
    body = response.content.decode()
    assert "以上是最早到期的 3 条（共 4 条）" in body and "待办3" not in body
    assert reverse("outreach:concern_list") in body
