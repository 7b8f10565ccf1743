"""Each role's home page: what it shows, and a query count that does not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _work(cadre, n: int):
    """n visits of this month and n problems due, for the cadre."""
    today = timezone.localdate()
    for i in range(n):
        VisitFactory(cadre=cadre, date=today.replace(day=1) + datetime.timedelta(days=i % today.day))
        ConcernFactory(
            owner=cadre,
            enterprise=EnterpriseFactory(district_union=cadre.unit),
            due_date=today - datetime.timedelta(days=1),
            description=f"到期问题{i}",
        )


def test_a_cadres_home_is_his_or_her_month(login, cadre, query_count, django_assert_num_queries):
    client = login(cadre)
    _work(cadre, 3)
    small = query_count(client, reverse("home"))
    _work(cadre, 30)
    with django_assert_num_queries(small):
        page = client.get(reverse("home")).content.decode()
    assert reverse("outreach:visit_create") in page
    assert "到期问题" in page


def test_a_leaders_home_lists_the_areas_overdue_problems(
    login, town, town_leader, query_count, django_assert_num_queries
):
    client = login(town_leader)
    _work(CadreFactory(unit=town), 3)
    small = query_count(client, reverse("home"))
    _work(CadreFactory(unit=town), 30)
    with django_assert_num_queries(small):
        page = client.get(reverse("home")).content.decode()
    assert "到期问题" in page


def test_an_admins_home_points_to_the_administration(
    login, admin_cadre, query_count, django_assert_num_queries
):
    client = login(admin_cadre)
    small = query_count(client, reverse("home"))
    CadreFactory.create_batch(30)
    with django_assert_num_queries(small):
        page = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in page


def test_a_returned_visit_shows_on_the_home_page_whatever_its_month(
    login, cadre, other_cadre, query_count, django_assert_num_queries
):
    today = timezone.localdate()
    long_ago = today.replace(day=1) - datetime.timedelta(days=70)
    returned = VisitFactory(
        cadre=cadre, date=long_ago, status="returned", return_reason="请补充职工的具体意见。"
    )
    VisitFactory(cadre=cadre, date=long_ago, status="submitted")
    VisitFactory(cadre=other_cadre, date=long_ago, status="returned", return_reason="别人的退回")
    client = login(cadre)
    small = query_count(client, reverse("home"))
    for _ in range(3):
        VisitFactory(cadre=cadre, date=long_ago, status="returned")
    with django_assert_num_queries(small):
        page = client.get(reverse("home")).content.decode()
    assert returned.get_absolute_url() in page
    assert "请补充职工的具体意见。" in page
    assert "别人的退回" not in page
    assert "您有 4 条走访被退回修改" in page
