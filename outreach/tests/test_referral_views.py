"""Referral pages: who opens, refers and decides; personal data and its access log; the export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Referral, ReferralAccess
from outreach.services import referral_open
from outreach.tests.factories import ConcernFactory, ReferralFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(wage_arrears):
    return wage_arrears


@pytest.fixture
def referral(concern, cadre):
    return referral_open(
        concern=concern,
        actor=cadre,
        kind="hardship",
        worker_name="李强",
        worker_phone="13812345678",
        household_members=4,
        monthly_income_per_head="850.00",
        hardship_cause="illness",
        health="妻子患慢性病",
    )


def test_it_requires_login(client, referral):
    response = client.get(reverse("outreach:referral_detail", args=[referral.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "who, status",
    [
        ("cadre", 200),
        ("other_cadre", 404),
        ("town_leader", 200),
        ("other_town_leader", 404),
        ("district_leader", 200),
    ],
)
def test_the_detail_page_is_scoped_like_its_problem(request, login, referral, who, status):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("outreach:referral_detail", args=[referral.pk])).status_code == status


def test_the_owner_sees_the_personal_data_and_is_not_logged(login, cadre, referral):
    body = login(cadre).get(reverse("outreach:referral_detail", args=[referral.pk])).content.decode()
    assert "13812345678" in body and "妻子患慢性病" in body
    assert not ReferralAccess.objects.exists()


def test_a_leader_opening_it_is_logged(login, town_leader, referral):
    body = login(town_leader).get(reverse("outreach:referral_detail", args=[referral.pk])).content.decode()
    assert "13812345678" in body
    access = ReferralAccess.objects.get()
    assert (access.cadre, access.referral, access.action, access.personal_data_shown) == (
        town_leader,
        referral,
        "view",
        True,
    )


def test_a_cadre_who_handed_the_problem_over_sees_it_masked_and_is_logged(
    login, cadre, other_cadre, referral
):
    concern = referral.concern
    concern.owner = other_cadre
    concern.save()
    referral.opened_by = other_cadre  # as if the new owner had referred it
    referral.save()
    # cadre still reads the problem (first received), not the worker's data
    body = login(cadre).get(reverse("outreach:referral_detail", args=[referral.pk])).content.decode()
    assert "138****5678" in body and "13812345678" not in body and "妻子患慢性病" not in body
    assert "李*" in body
    assert ReferralAccess.objects.get().personal_data_shown is False


def test_the_owner_refers_from_the_problem_page(login, cadre, concern):
    client = login(cadre)
    page = client.get(reverse("outreach:concern_detail", args=[concern.pk])).content.decode()
    url = reverse("outreach:concern_refer", args=[concern.pk])
    assert f"{url}?kind=legal_aid" in page
    form = client.get(url, {"kind": "legal_aid"}).content.decode()
    assert "五洋纺织机械有限公司" in form  # the employer from the problem's enterprise
    response = client.post(
        url,
        {
            "kind": "legal_aid",
            "worker_name": "李强",
            "worker_phone": "13812345678",
            "dispute_type": "wage_arrears",
            "employer": "五洋纺织机械有限公司",
            "amount_in_dispute": "25600",
            "workers_concerned": "3",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == referral.get_absolute_url()
    assert referral.kind == "legal_aid" and referral.amount_in_dispute == 25600
    page = client.get(reverse("outreach:concern_detail", args=[concern.pk])).content.decode()
    assert referral.get_absolute_url() in page and "已提交" in page


def test_bad_input_rerenders_the_form_in_chinese(login, cadre, concern):
    url = reverse("outreach:concern_refer", args=[concern.pk])
    response = login(cadre).post(
        url, {"kind": "hardship", "worker_name": "李强", "household_members": "多", "hardship_cause": "懒"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and not Referral.objects.exists()
    assert "这个字段是必填项" in body or "请输入" in body
    assert "李强" in body  # the form kept


def test_a_leader_may_not_refer_but_decides(login, town_leader, concern, referral):
    client = login(town_leader)
    assert client.get(reverse("outreach:concern_refer", args=[concern.pk])).status_code == 403
    url = reverse("outreach:referral_transition", args=[referral.pk])
    response = client.post(url, {"to_status": "accepted", "version": 1})
    assert response.status_code == 302
    response = client.post(url, {"to_status": "helped", "version": 2, "note": ""})
    assert response.status_code == 400 and "写明职工得到的帮扶" in response.content.decode()
    client.post(url, {"to_status": "helped", "version": 2, "note": "发放帮扶金2000元。"})
    referral.refresh_from_db()
    assert referral.status == "helped"
    page = client.get(reverse("outreach:concern_detail", args=[referral.concern_id])).content.decode()
    assert "发放帮扶金2000元。" in page and "已帮扶" in page


def test_the_owner_cannot_decide(login, cadre, referral):
    url = reverse("outreach:referral_transition", args=[referral.pk])
    assert login(cadre).post(url, {"to_status": "accepted", "version": 1}).status_code == 403


def test_a_tampered_status_is_refused_without_500(login, town_leader, referral):
    url = reverse("outreach:referral_transition", args=[referral.pk])
    response = login(town_leader).post(url, {"to_status": "<script>", "version": "x"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "submitted"


def _referrals(owner, n):
    return [
        ReferralFactory(
            concern=ConcernFactory(owner=owner, enterprise=EnterpriseFactory(district_union=owner.unit))
        )
        for _ in range(n)
    ]


def test_the_list_and_the_detail_run_constant_queries(
    login, town_leader, cadre, query_count, django_assert_num_queries
):
    client = login(town_leader)
    _referrals(cadre, 1)
    small = query_count(client, reverse("outreach:referral_list"))
    _referrals(cadre, 4)
    with django_assert_num_queries(small):
        client.get(reverse("outreach:referral_list"))


def test_the_list_hides_other_towns(login, other_town_leader, referral):
    body = login(other_town_leader).get(reverse("outreach:referral_list")).content.decode()
    assert referral.get_absolute_url() not in body


def _rows(response, sheet):
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def test_the_export_has_the_rows_of_the_data_and_logs_them(
    login, town_leader, cadre, other_town_leader, referral
):
    legal = _referrals(cadre, 2)
    other = _referrals(CadreFactory(unit=other_town_leader.unit), 1)
    legal[1].employer = "=cmd|' /C calc'!A0"
    legal[1].save()
    response = login(town_leader).get(reverse("outreach:referral_xlsx"))
    assert response.status_code == 200
    hardship = _rows(response, "困难职工帮扶")
    assert hardship[0][:8] == [
        "编号",
        "职工姓名",
        "职工电话",
        "家庭人口",
        "月人均收入（元）",
        "致困原因",
        "住房",
        "健康状况",
    ]
    assert hardship[1][:8] == [referral.pk, "李强", "13812345678", 4, 850.0, "因病", None, "妻子患慢性病"]
    rows = _rows(response, "法律援助")
    assert [row[0] for row in rows[1:]] == [r.pk for r in legal]
    assert rows[1][3:7] == ["拖欠工资", legal[0].employer, 12800.0, 3]
    assert rows[2][4] == "=cmd|' /C calc'!A0"  # text, not a formula
    assert other[0].pk not in [row[0] for row in rows]
    assert ReferralAccess.objects.filter(action="export", cadre=town_leader).count() == 3


def test_the_export_is_for_leaders_and_constant_queries(
    login, cadre, town_leader, query_count, django_assert_num_queries
):
    assert login(cadre).get(reverse("outreach:referral_xlsx")).status_code == 403
    client = login(town_leader)
    _referrals(cadre, 1)
    small = query_count(client, reverse("outreach:referral_xlsx"))
    _referrals(cadre, 4)
    with django_assert_num_queries(small):
        client.get(reverse("outreach:referral_xlsx"))
