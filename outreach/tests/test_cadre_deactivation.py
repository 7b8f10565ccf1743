"""Deactivating a cadre who owns open problems (unions' page, outreach's problems): refused,
with the problems listed and linked to their hand-over, until they are handed over."""

import pytest
from django.urls import reverse

from outreach.tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def test_open_problems_block_deactivation_and_are_listed(login, town_leader, cadre):
    problem = ConcernFactory(owner=cadre, description="拖欠工资待协调")
    client = login(town_leader)
    confirm = client.get(reverse("unions:cadre_deactivate", args=[cadre.pk])).content.decode()
    assert "拖欠工资待协调" in confirm and problem.get_absolute_url() in confirm
    response = client.post(reverse("unions:cadre_deactivate", args=[cadre.pk]))
    assert response.status_code == 400
    cadre.refresh_from_db()
    assert cadre.is_active
    problem.refresh_from_db()
    assert problem.owner == cadre  # nothing reassigned silently


def test_a_handed_over_problem_no_longer_blocks(login, town_leader, cadre, other_cadre):
    problem = ConcernFactory(owner=cadre)
    problem.owner = other_cadre
    problem.save()
    response = login(town_leader).post(reverse("unions:cadre_deactivate", args=[cadre.pk]))
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert not cadre.is_active


def test_the_deactivate_page_runs_a_constant_number_of_queries(
    login, town_leader, cadre, query_count, django_assert_num_queries
):
    ConcernFactory.create_batch(3, owner=cadre)
    client = login(town_leader)
    url = reverse("unions:cadre_deactivate", args=[cadre.pk])
    count = query_count(client, url)
    ConcernFactory.create_batch(10, owner=cadre)
    with django_assert_num_queries(count):
        client.get(url)
