"""A leader manages the cadres of his or her scope: list, invite, re-invite, deactivate, sheet."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from unions.models import Cadre
from unions.tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


def uninvited(unit, **kwargs):
    user = UserFactory(email=kwargs.pop("email", ""))
    user.set_unusable_password()
    user.save()
    return CadreFactory(user=user, unit=unit, **kwargs)


INVITE = {
    "name": "孙新人",
    "post": "干事",
    "phone": "13700001234",
    "email": "sun@example.cn",
    "role": "cadre",
}


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["unions:cadre_list", "unions:cadre_invite", "unions:cadre_sheet"])
def test_it_requires_login(client, name):
    assert client.get(reverse(name)).url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["unions:cadre_list", "unions:cadre_invite", "unions:cadre_sheet"])
def test_a_cadre_is_refused(login, cadre, name):
    assert login(cadre).get(reverse(name)).status_code == 403


def test_a_town_leader_sees_the_towns_cadres_only(
    login, town_leader, cadre, other_town_leader, district_leader
):
    body = login(town_leader).get(reverse("unions:cadre_list")).content.decode()
    assert "许文静" in body
    assert "陈明" not in body and "蒋亚诚" not in body


def test_a_district_leader_sees_the_whole_district(login, district_leader, cadre, other_town_leader):
    body = login(district_leader).get(reverse("unions:cadre_list")).content.decode()
    assert "许文静" in body and "陈明" in body


@pytest.mark.parametrize("name", ["unions:cadre_deactivate", "unions:cadre_reinvite"])
def test_another_towns_cadre_is_not_found(login, town_leader, other_town_leader, name):
    client = login(town_leader)
    assert client.post(reverse(name, args=[other_town_leader.pk])).status_code == 404
    other_town_leader.refresh_from_db()
    assert other_town_leader.is_active


# --- invite --------------------------------------------------------------------------------


def test_invite_adds_a_login_without_password_and_mails_the_link(
    login, town_leader, town, django_capture_on_commit_callbacks
):
    client = login(town_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("unions:cadre_invite"), {**INVITE, "unit": town.pk})
    assert response.url == reverse("unions:cadre_list")
    cadre = Cadre.objects.get(name="孙新人")
    assert cadre.user.username == "13700001234"  # the phone, as the login name was left blank
    assert not cadre.user.has_usable_password() and cadre.unit == town
    assert mail.outbox[0].to == ["sun@example.cn"] and "/accounts/activate/" in mail.outbox[0].body


def test_invite_only_into_the_leaders_scope(login, town_leader, other_town):
    response = login(town_leader).post(reverse("unions:cadre_invite"), {**INVITE, "unit": other_town.pk})
    assert response.status_code == 400
    assert not Cadre.objects.filter(name="孙新人").exists()


def test_invite_refuses_a_taken_login_and_keeps_the_form(login, town_leader, town, cadre):
    data = {**INVITE, "unit": town.pk, "username": cadre.user.username}
    response = login(town_leader).post(reverse("unions:cadre_invite"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "已被使用" in body and "孙新人" in body
    assert get_user_model().objects.filter(username=cadre.user.username).count() == 1


def test_invite_without_an_address_points_to_the_sheet(login, town_leader, town):
    client = login(town_leader)
    response = client.post(
        reverse("unions:cadre_invite"), {**INVITE, "email": "", "unit": town.pk}, follow=True
    )
    assert "打印激活单" in response.content.decode()
    assert mail.outbox == []


# --- re-invite -----------------------------------------------------------------------------


def test_reinvite_mails_a_new_link(login, town_leader, town, django_capture_on_commit_callbacks):
    target = uninvited(town, name="钱待激活", email="qian@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        login(town_leader).post(reverse("unions:cadre_reinvite", args=[target.pk]))
    assert mail.outbox[0].to == ["qian@example.cn"]


def test_reinvite_refuses_an_activated_account(login, town_leader, cadre):
    cadre.user.email = "xu@example.cn"
    cadre.user.save()
    response = login(town_leader).post(reverse("unions:cadre_reinvite", args=[cadre.pk]), follow=True)
    assert "已激活" in response.content.decode()
    assert mail.outbox == []


def test_reinvite_needs_post(login, town_leader, town):
    target = uninvited(town, email="qian@example.cn")
    assert login(town_leader).get(reverse("unions:cadre_reinvite", args=[target.pk])).status_code == 405


# --- deactivate ----------------------------------------------------------------------------


def test_deactivate_asks_first_then_ends_the_sessions(login, town_leader, cadre):
    cadre_client = Client()
    cadre_client.force_login(cadre.user)
    assert cadre_client.get(reverse("home")).status_code == 200
    client = login(town_leader)
    confirm = client.get(reverse("unions:cadre_deactivate", args=[cadre.pk]))
    assert confirm.status_code == 200 and "停用" in confirm.content.decode()
    cadre.refresh_from_db()
    assert cadre.is_active  # GET only asks
    response = client.post(reverse("unions:cadre_deactivate", args=[cadre.pk]))
    assert response.url == reverse("unions:cadre_list")
    cadre.refresh_from_db()
    cadre.user.refresh_from_db()
    assert not cadre.is_active and not cadre.user.is_active
    assert cadre_client.get(reverse("home")).url.startswith(reverse("login"))  # logged out at once
    assert cadre.history.first().is_active is False


def test_a_leader_cannot_deactivate_himself(login, town_leader):
    assert (
        login(town_leader).post(reverse("unions:cadre_deactivate", args=[town_leader.pk])).status_code == 403
    )


# --- activation sheet ----------------------------------------------------------------------


def test_the_sheet_lists_the_scopes_cadres_not_yet_activated(login, town_leader, town, other_town, cadre):
    uninvited(town, name="钱待激活")
    uninvited(other_town, name="别镇的人")
    client = login(town_leader)
    page = client.get(reverse("unions:cadre_sheet")).content.decode()
    assert "钱待激活" in page and "/accounts/activate/" in page
    assert "别镇的人" not in page and "许文静" not in page
    xlsx = client.get(reverse("unions:cadre_sheet"), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["钱待激活"]


# --- query counts --------------------------------------------------------------------------


def test_the_list_and_the_sheet_run_a_constant_number_of_queries(
    login, town_leader, town, query_count, django_assert_num_queries
):
    for n in range(3):
        uninvited(town, name=f"待激活{n}")
    client = login(town_leader)
    counts = {
        name: query_count(client, reverse(name)) for name in ("unions:cadre_list", "unions:cadre_sheet")
    }
    for n in range(10):
        uninvited(town, name=f"又一个{n}")
    for name, count in counts.items():
        with django_assert_num_queries(count):
            client.get(reverse(name))


@pytest.mark.parametrize("name", ["unions:cadre_deactivate", "unions:cadre_reinvite"])
def test_a_cadre_of_the_same_town_is_refused(login, cadre, other_cadre, name):
    assert login(cadre).post(reverse(name, args=[other_cadre.pk])).status_code == 403
    other_cadre.refresh_from_db()
    assert other_cadre.is_active


def test_a_district_leaders_sheet_has_one_section_per_unit(login, district_leader, town, other_town):
    uninvited(town, name="高新区的人")
    uninvited(other_town, name="湖塘镇的人")
    page = login(district_leader).get(reverse("unions:cadre_sheet")).content.decode()
    assert page.count('class="activation-unit') == 2
    assert (
        page.index("高新区总工会")
        < page.index("高新区的人")
        < page.index("湖塘镇总工会")
        < page.index("湖塘镇的人")
    )
