"""A problem's history says what each edit changed, from what to what (lib/history.py)."""

import re

import pytest
from django.urls import reverse

from outreach.services import concern_create
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(cadre, town):
    return concern_create(
        received_by=cadre,
        category="wages",
        description="职工反映加班费计算不清。",
        enterprise=EnterpriseFactory(district_union=town),
        worker_name="李强",
        worker_phone="13812345678",
    )


def _changes(body: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li class=\"text-break\" data-history-change>(.*?)</li>", body, re.S)
    ]


def _edit(client, concern, **changes):
    data = {
        "version": concern.version,
        "category": "wages",
        "description": concern.description,
        "worker_name": "李强",
        "worker_phone": "13812345678",
        **changes,
    }
    response = client.post(reverse("outreach:concern_update", args=[concern.pk]), data)
    assert response.status_code == 302
    concern.refresh_from_db()


def test_an_edit_shows_the_values_before_and_after(login, cadre, concern):
    client = login(cadre)
    _edit(client, concern, description="加班费按最低工资计算", category="dispute")
    changes = _changes(client.get(concern.get_absolute_url()).content.decode())
    assert "问题描述: 职工反映加班费计算不清。 → 加班费按最低工资计算" in changes
    assert "类别: 工资集体协商 → 矛盾纠纷" in changes


def test_a_status_change_shows_both_statuses(login, cadre, concern):
    client = login(cadre)
    url = reverse("outreach:concern_transition", args=[concern.pk])
    client.post(url, {"version": concern.version, "to_status": "in_progress", "note": "已联系企业"})
    changes = _changes(client.get(concern.get_absolute_url()).content.decode())
    assert "状态: 待办 → 办理中" in changes


def test_the_phone_stays_masked_in_the_history_for_those_who_may_not_see_it(
    login, cadre, other_cadre, concern
):
    client = login(cadre)
    _edit(client, concern, worker_phone="13900001111")
    assert "13812345678 → 13900001111" in "".join(
        _changes(client.get(concern.get_absolute_url()).content.decode())
    )
    client.post(
        reverse("outreach:concern_handover", args=[concern.pk]),
        {"version": concern.version, "to_owner": other_cadre.pk, "reason": "转交"},
    )
    # The first receiver keeps reading the problem, but no longer sees the worker's number.
    body = client.get(concern.get_absolute_url()).content.decode()
    assert "138****5678 → 139****1111" in "".join(_changes(body))
    assert "13900001111" not in body and "13812345678" not in body


def _edited(cadre, town, size: int):
    concern = concern_create(
        received_by=cadre,
        category="wages",
        description="起",
        enterprise=EnterpriseFactory(district_union=town),
    )
    for n in range(size):
        concern.description = f"第{n}次改写"
        concern.owner = CadreFactory(unit=town)  # a foreign key named in each entry
        concern.save()
    return concern


def test_the_history_costs_the_same_queries_whatever_its_length(
    login, cadre, town, town_leader, query_count, django_assert_num_queries
):
    client = login(town_leader)
    small = query_count(client, _edited(cadre, town, 3).get_absolute_url())
    url = _edited(cadre, town, 30).get_absolute_url()
    with django_assert_num_queries(small):
        body = client.get(url).content.decode()
    assert len(_changes(body)) == 60
