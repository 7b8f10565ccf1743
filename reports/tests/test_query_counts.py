"""The report's enterprise list and the trend run the same number of queries at any size."""

import datetime

import pytest
from django.urls import reverse

from lib.months import current_month
from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_the_enterprise_list_queries_do_not_grow(
    login, town, district_leader, query_count, django_assert_num_queries
):
    client = login(district_leader)
    url = reverse("reports:enterprises")
    EnterpriseFactory.create_batch(3, district_union=town)
    small = query_count(client, url, {"which": "all"})
    EnterpriseFactory.create_batch(30, district_union=town)
    with django_assert_num_queries(small):
        page = client.get(url, {"which": "all"})
    assert page.content.decode().count("常州第") == 33


def test_the_trend_queries_do_not_grow(login, town, district_leader, query_count, django_assert_num_queries):
    client = login(district_leader)
    url = reverse("reports:trend")
    first = current_month()

    def add(n):
        for i in range(n):
            cadre = CadreFactory(unit=town)
            VisitFactory(cadre=cadre, date=first + datetime.timedelta(days=i % 3))

    add(3)
    small = query_count(client, url)
    add(30)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200
