"""Tokens of other systems: admin-issued, scoped to a unit, read-only, revocable, hashed."""

import pytest
from django.urls import reverse

from api.models import ApiToken, hash_key
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_reads_its_units_visits_only(api, token_for, cadre, town, other_town):
    mine = VisitFactory(cadre=cadre)
    VisitFactory(cadre=CadreFactory(unit=other_town))
    token, key = token_for(town)
    body = api().get(reverse("api:visit-list"), **_bearer(key)).json()
    assert [v["id"] for v in body["results"]] == [mine.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_hash_of_the_key_is_stored(token_for, town):
    token, key = token_for(town)
    stored = ApiToken.objects.values_list("key_hash", "prefix").get(pk=token.pk)
    assert stored == (hash_key(key), key[:8]) and key not in stored[0]


def test_a_revoked_or_wrong_token_is_refused(api, token_for, town):
    token, key = token_for(town)
    token.revoke()
    response = api().get(reverse("api:visit-list"), **_bearer(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌无效或已被吊销。"
    assert api().get(reverse("api:visit-list"), **_bearer("nonsense")).status_code == 401


def test_a_token_cannot_write(api, token_for, town):
    _, key = token_for(town)
    enterprise = EnterpriseFactory(district_union=town)
    payload = {"kind": "worker", "date": "2026-11-10", "host_enterprise": enterprise.pk, "work_done": "x"}
    response = api().post(reverse("api:visit-list"), payload, format="json", **_bearer(key))
    assert response.status_code == 403
    assert response.json()["detail"] == "系统令牌只能读取。走访和诉求由干部记录。"


def test_a_token_sees_workers_phones_masked(api, token_for, cadre, town):
    ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=town), worker_phone="13812345678")
    _, key = token_for(town)
    body = api().get(reverse("api:problem-list"), **_bearer(key)).json()
    assert body["results"][0]["worker_phone"] == "138****5678"


def test_a_token_reads_the_monthly_figures(api, token_for, cadre, town):
    VisitFactory(cadre=cadre)
    _, key = token_for(town)
    response = api().get(reverse("api:report-monthly"), {"month": "2026-11"}, **_bearer(key))
    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["id"] == town.pk and body["month"] == "2026-11"
    assert body["sections"]["visits"]["total"] == 1


def test_tokens_are_rate_limited(api, token_for, town, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    _, key = token_for(town)
    from api.throttling import ClientRateThrottle

    ClientRateThrottle.THROTTLE_RATES = {**ClientRateThrottle.THROTTLE_RATES, "token": "2/hour"}
    try:
        client = api()
        codes = [client.get(reverse("api:unit-list"), **_bearer(key)).status_code for _ in range(3)]
    finally:
        from rest_framework.settings import api_settings

        ClientRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 429]


def test_the_admin_issues_a_token_and_shows_the_key_once(client, admin_cadre, town):
    admin_cadre.user.is_staff = admin_cadre.user.is_superuser = True
    admin_cadre.user.save()
    client.force_login(admin_cadre.user)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"name": "市总工会数据平台", "unit": town.pk}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    key = next(m for m in shown if token.prefix in m).split("令牌的密钥是 ")[1].split(" ")[0]
    assert hash_key(key) == token.key_hash
    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert key not in listing and token.prefix in listing
