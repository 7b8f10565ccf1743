"""Done when (issue 16): a city leader opens the city's report, drills to 武进区, to 高新区, to a
cadre and one of the cadre's visits."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, CityFactory, DistrictFactory, LeaderFactory

pytestmark = pytest.mark.e2e


def test_a_city_leader_drills_down_from_the_city_to_a_visit(ui, district, town, other_town):
    city = CityFactory(name="常州市总工会", code="320400")
    district.parent = city
    district.save()
    DistrictFactory(name="新北区总工会", code="320411", parent=city)
    cadre = CadreFactory(unit=town, name="许文静")
    visit = VisitFactory(
        cadre=cadre, date=timezone.localdate(), kind=Visit.Kind.WORKER, status=Visit.Status.SUBMITTED
    )
    leader = LeaderFactory(unit=city, name="陈建华")

    ui.login(leader)
    ui.nav(href=reverse("reports:monthly"))
    main = ui.page.locator("main")
    expect(main.locator("h1")).to_contain_text("常州市总工会")
    expect(main.locator('[data-table="children"]')).to_contain_text("新北区总工会")

    ui.follow(main.locator(f'[data-child="{district.pk}"] a').first)
    expect(main.locator("h1")).to_contain_text("武进区总工会")

    ui.follow(main.locator(f'[data-child="{town.pk}"] a').first)
    expect(main.locator("h1")).to_contain_text("高新区总工会")
    expect(main.locator('[data-table="children"]')).to_have_count(0)

    ui.follow(main.locator(f'#completion a[href*="cadre={cadre.pk}"]').first)
    ui.follow(main.locator(f'a[href="{visit.get_absolute_url()}"]').first)
    expect(main).to_contain_text("许文静")
    expect(main).to_contain_text(visit.host_enterprise.name)
