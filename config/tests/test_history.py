"""Nothing lost: changes to enterprise unions, cadres and logins are kept, and admins can read them."""

import pytest
from django.urls import reverse

from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_admins_see_who_changed_an_enterprise_and_what(client, admin_cadre, town):
    enterprise = EnterpriseFactory(district_union=town, name="常州旧名有限公司")
    enterprise.name = "常州新名有限公司"
    enterprise.save()
    client.force_login(admin_cadre.user)
    body = client.get(reverse("admin:unions_enterpriseunion_history", args=[enterprise.pk])).content.decode()
    assert "常州旧名有限公司" in body and "常州新名有限公司" in body


def test_a_change_made_in_the_admin_records_its_author(client, admin_cadre, cadre):
    client.force_login(admin_cadre.user)
    url = reverse("admin:unions_cadre_change", args=[cadre.pk])
    response = client.post(
        url,
        {
            "user": cadre.user.pk,
            "name": cadre.name,
            "unit": cadre.unit.pk,
            "post": "副主席",
            "phone": "",
            "role": "cadre",
        },
    )
    assert response.status_code == 302
    latest = cadre.history.latest()
    assert latest.post == "副主席" and latest.history_user == admin_cadre.user
    assert cadre.history.count() == 2


def test_deactivating_a_login_is_in_its_history_but_logins_are_not(client, admin_cadre, cadre):
    rows = cadre.user.history.count()  # the account's creation
    client.force_login(cadre.user)  # saves last_login: no history row
    assert cadre.user.history.count() == rows
    cadre.user.is_active = False
    cadre.user.save()
    record = cadre.user.history.latest()
    assert record.is_active is False
    assert not hasattr(record, "password")  # hashes stay out of the history
    client.force_login(admin_cadre.user)
    response = client.get(reverse("admin:auth_user_history", args=[cadre.user.pk]))
    assert response.status_code == 200


def test_a_cadre_cannot_read_the_history(client, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    client.force_login(cadre.user)
    response = client.get(reverse("admin:unions_enterpriseunion_history", args=[enterprise.pk]))
    assert response.status_code == 302
