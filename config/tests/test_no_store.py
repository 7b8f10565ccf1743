"""Every page and export with personal data says Cache-Control: no-store (the review's finding):
a shared phone's or PC's browser keeps no copy of workers' names and phones after logout."""

import pytest
from django.urls import reverse

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    concern = ConcernFactory(enterprise=enterprise, owner=cadre, visit=visit)
    return visit, concern


def _urls(visit, concern):
    return [
        reverse("outreach:visit_detail", args=[visit.pk]),
        reverse("outreach:visit_update", args=[visit.pk]),
        reverse("outreach:concern_detail", args=[concern.pk]),
        reverse("outreach:concern_list"),
        reverse("outreach:concern_mine"),
        reverse("reports:monthly"),
        reverse("reports:monthly_print"),
        reverse("reports:monthly_xlsx"),
        reverse("reports:visit_ledger_xlsx"),
        reverse("reports:problem_ledger_xlsx"),
        reverse("reports:enterprises"),
        reverse("reports:year"),
        reverse("reports:year_xlsx"),
        reverse("reports:assessment"),
        reverse("reports:assessment_xlsx"),
        reverse("outreach:diary"),
        reverse("outreach:diary_docx"),
        reverse("outreach:calendar"),
    ]


def test_pages_and_exports_with_personal_data_are_not_stored(client, records, district_leader, cadre):
    visit, concern = records
    client.force_login(cadre.user)
    for url in _urls(visit, concern)[:5]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    client.force_login(district_leader.user)
    for url in _urls(visit, concern)[5:]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("url", ["admin:unions_enterpriseunion_export", "admin:unions_cadre_export"])
@pytest.mark.parametrize("fmt", [{}, {"format": "csv"}])
def test_the_directory_exports_are_not_stored(client, admin_cadre, url, fmt):
    client.force_login(admin_cadre.user)
    response = client.get(reverse(url), fmt)
    assert response.status_code == 200
    # The admin's own never_cache says more, no-store among it.
    assert "no-store" in [d.strip() for d in response["Cache-Control"].split(",")]
