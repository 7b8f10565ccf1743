"""The record pages run the same number of queries whatever the size of what they show."""

import pytest
from django.urls import reverse

from outreach import services
from outreach.models import ConcernEvent
from outreach.tests.factories import ConcernFactory, VisitFactory, VisitPhotoFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _rich_visit(cadre, town, size: int):
    """A visit with `size` companions, photos, problems and history entries."""
    visit = VisitFactory(
        cadre=cadre,
        host_enterprise=EnterpriseFactory(district_union=town),
        companions=CadreFactory.create_batch(size, unit=town),
    )
    VisitPhotoFactory.create_batch(size, visit=visit)
    for n in range(size):
        services.concern_create(received_by=cadre, visit=visit, category="wages", description=f"问题{n}")
        visit.review_comment = f"第{n}次修改"
        visit.save()
    return visit


def test_visit_detail_queries_do_not_grow(
    login, cadre, town, town_leader, query_count, django_assert_num_queries
):
    client = login(town_leader)
    small = query_count(client, reverse("outreach:visit_detail", args=[_rich_visit(cadre, town, 3).pk]))
    url = reverse("outreach:visit_detail", args=[_rich_visit(cadre, town, 30).pk])
    with django_assert_num_queries(small):
        page = client.get(url)
    assert page.content.decode().count("问题") >= 30


def _concern_with_events(owner, size: int):
    concern = ConcernFactory(owner=owner, enterprise=EnterpriseFactory(district_union=owner.unit))
    ConcernEvent.objects.bulk_create(
        ConcernEvent(concern=concern, kind=ConcernEvent.Kind.NOTE, actor=owner, note=f"跟进记录{n}")
        for n in range(size)
    )
    return concern


def test_problem_detail_queries_do_not_grow(
    login, cadre, town_leader, query_count, django_assert_num_queries
):
    client = login(town_leader)
    small = query_count(client, reverse("outreach:concern_detail", args=[_concern_with_events(cadre, 3).pk]))
    url = reverse("outreach:concern_detail", args=[_concern_with_events(cadre, 30).pk])
    with django_assert_num_queries(small):
        page = client.get(url)
    assert page.content.decode().count("跟进记录") == 30
