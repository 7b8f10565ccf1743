"""The record form's required fields: marked with an asterisk, and named by their label when missing."""

import re

import pytest
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.test_visit_form import _post, form_data, today  # noqa: F401 - the fixture
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


def _label_html(page: str, for_id: str) -> str:
    match = re.search(rf'<label[^>]*for="{for_id}"[^>]*>(.*?)</label>', page, re.S)
    assert match, for_id
    return match.group(1)


def test_the_host_and_the_work_done_carry_the_asterisk(login, cadre):
    page = login(cadre).get(reverse("outreach:visit_create")).content.decode()
    legend = re.search(r'<fieldset[^>]*id="host-fieldset".*?<legend[^>]*>(.*?)</legend>', page, re.S).group(1)
    assert "走访对象" in legend and "asteriskField" in legend
    assert "工作内容" in _label_html(page, "id_work_done")
    assert "asteriskField" in _label_html(page, "id_work_done")
    assert "asteriskField" not in _label_html(page, "id_reflections")


def test_a_submit_without_the_work_done_names_the_field_by_its_label(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, work_done=" "))
    assert response.status_code == 200
    assert response.context["form"].errors["work_done"] == ["请填写“工作内容”后再提交。"]
    assert "请填写“工作内容”后再提交。" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_draft_may_leave_the_work_done_empty(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, work_done="", action="draft"))
    assert response.status_code == 302
    assert Visit.objects.get().status == Visit.Status.DRAFT


def test_a_submit_without_a_host_says_to_choose_the_host(login, cadre):
    response = _post(login(cadre), form_data(None))
    assert "请选择走访对象" in response.content.decode()
