"""The record form's host: chosen with the host search alone (hidden fields, no list of the
directory in the page, whatever its size), checked on the server as before."""

import re

import pytest
from django.urls import reverse

from outreach.tests.test_visit_form import _post, form_data, today  # noqa: F401 - the fixture
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

URL = reverse("outreach:visit_create")


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


def _host_section(page: str) -> str:
    return page.split('id="host-fieldset"')[1].split("</fieldset>")[0]


def test_the_page_does_not_grow_with_the_directory(
    login, cadre, town, query_count, django_assert_num_queries
):
    EnterpriseFactory.create_batch(3, district_union=town)
    client = login(cadre)
    small = query_count(client, URL)
    small_page = client.get(URL).content.decode()
    EnterpriseFactory.create_batch(40, district_union=town)
    with django_assert_num_queries(small):
        page = client.get(URL).content.decode()
    assert page.count("<option") == small_page.count("<option")
    assert len(page) == len(small_page)
    host = _host_section(page)
    assert "<select" not in host and 'type="hidden" name="host_enterprise"' in host
    assert 'id="host-search-input"' in host


def test_after_a_failed_submit_the_host_shows_once_with_its_name(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, work_done=""))
    assert response.status_code == 200 and response.context["form"].errors["work_done"]
    host = _host_section(response.content.decode())
    assert "<select" not in host
    assert host.count('name="host_enterprise"') == 1 and host.count('name="host_union"') == 1
    assert f'value="{enterprise.pk}"' in host
    assert 'data-label="五洋纺织机械有限公司 · 高新区总工会"' in host


def test_without_a_host_the_message_is_in_the_host_section(login, cadre):
    host = _host_section(_post(login(cadre), form_data(None)).content.decode())
    assert "请选择走访对象" in host and "<select" not in host


def test_a_host_of_another_district_is_still_refused_and_not_named(login, cadre):
    from unions.tests.factories import DistrictFactory, TownFactory

    foreign = EnterpriseFactory(
        district_union=TownFactory(parent=DistrictFactory(name="新北区总工会")), name="外区企业"
    )
    response = _post(login(cadre), form_data(foreign))
    assert response.context["form"].errors["host_enterprise"]
    assert "外区企业" not in response.content.decode()


def test_the_edit_form_names_the_visits_host(login, cadre, town):
    from outreach.tests.factories import VisitFactory

    visit = VisitFactory(cadre=cadre, host_enterprise=None, host_union=town)
    host = _host_section(login(cadre).get(reverse("outreach:visit_update", args=[visit.pk])).content.decode())
    assert re.search(rf'name="host_union" value="{town.pk}"[^>]*data-label="高新区总工会"', host) or (
        f'value="{town.pk}"' in host and 'data-label="高新区总工会"' in host
    )


def test_many_cadres_do_not_grow_the_host_section(login, cadre, town):
    client = login(cadre)
    before = _host_section(client.get(URL).content.decode())
    CadreFactory.create_batch(10, unit=town)
    assert _host_section(client.get(URL).content.decode()) == before
