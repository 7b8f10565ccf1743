"""The Chinese UI speaks Chinese: no rendered page or spreadsheet shows the English original of
a text that has a translation (a string built before the language was chosen, a label glued
from lower-case words, a third-party app's names, ...).

A representative set of pages for each role, the admin with every list and one change form per
model, and the Excel exports are rendered; their visible text (text nodes and the attributes a
user sees or hears) is compared with every translated msgid of the catalogue that is long
enough to mean something.
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from openpyxl import load_workbook

from outreach import services
from outreach.models import Concern, OpinionTheme
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

SEEN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def translated_msgids() -> set[str]:
    """The catalogue's translated msgids worth checking: at least 6 letters in one fragment
    between placeholders, and a translation that differs from the msgid."""
    with translation.override("zh-hans"):
        catalog = trans_real.translation("zh-hans")._catalog
        found = set()
        for key in catalog.keys():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or catalog[key] == msgid:
                continue
            for fragment in PLACEHOLDER.split(msgid):
                fragment = fragment.strip(" .:,;·—-()[]“”\"'")
                if sum(c.isascii() and c.isalpha() for c in fragment) >= 6:
                    found.add(fragment)
    return found


class VisibleText(HTMLParser):
    """Text nodes and the attributes a user reads or a screen reader says; no scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        seen = [attrs.get(name) for name in SEEN_ATTRIBUTES]
        if tag == "input" and attrs.get("type") in BUTTON_INPUTS:
            seen.append(attrs.get("value"))  # the button's label
        self.parts.extend(value for value in seen if value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(body: str) -> list[str]:
    parser = VisibleText()
    parser.feed(body)
    return [html.unescape(part) for part in parser.parts]


def english_leftovers(texts: list[str], msgids: set[str]) -> set[tuple[str, str]]:
    """(msgid, text) for every text that contains a translated msgid as whole words, any case."""
    leftovers = set()
    blob = "\n".join(texts)
    for msgid in msgids:
        pattern = r"(?<![A-Za-z])" + re.escape(msgid) + r"(?![A-Za-z])"
        for match in re.finditer(pattern, blob, re.IGNORECASE):
            line_start = blob.rfind("\n", 0, match.start()) + 1
            line_end = blob.find("\n", match.end())
            leftovers.add((msgid, blob[line_start : line_end if line_end >= 0 else None][:120]))
    return leftovers


def workbook_texts(content: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(content))
    texts = [ws.title for ws in wb.worksheets]
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            texts.extend(str(v) for v in row if isinstance(v, str))
    return texts


def test_the_check_finds_an_english_leftover():
    msgids = translated_msgids()
    assert "Return for changes" in msgids and "Enterprise unions" in msgids
    found = english_leftovers(visible_text("<p>退回修改</p><p title='Return for changes'>x</p>"), msgids)
    assert ("Return for changes", "Return for changes") in found
    assert not english_leftovers(visible_text("<p>退回修改</p><script>'Return for changes'</script>"), msgids)


@pytest.fixture
def month_of_work(cadre, other_cadre, town, town_leader):
    """A month with each kind of record: done, returned and reviewed visits, problems at every
    step, an enterprise checked at a visit."""
    today = timezone.localdate()
    enterprise = EnterpriseFactory(district_union=town, name="常州五洋纺织机械有限公司")
    submitted = VisitFactory(cadre=cadre, host_enterprise=enterprise, date=today, companions=[other_cadre])
    VisitFactory(cadre=cadre, host_enterprise=enterprise, date=today, kind="office", status="returned")
    VisitFactory(cadre=other_cadre, host_union=town, host_enterprise=None, date=today, kind="chairman")
    services.enterprise_verify(
        enterprise=enterprise, verified_by=cadre, visit=submitted, changes={"members": 90}
    )
    concern = services.concern_create(
        received_by=cadre, category=Concern.Category.WAGES, description="加班费计算不清", visit=submitted
    )
    services.concern_transition(concern=concern, actor=cadre, to_status="in_progress", note="已联系")
    services.concern_transition(concern=concern, actor=cadre, to_status="resolved", note="已公示")
    services.concern_transition(
        concern=concern, actor=cadre, to_status="closed", callback_note="职工满意", satisfaction="satisfied"
    )
    other = services.concern_create(
        received_by=cadre, category=Concern.Category.LEGAL_AID, description="工伤认定"
    )
    services.concern_handover(concern=other, actor=cadre, to_owner=other_cadre, reason="转交")
    open_one = services.concern_create(
        received_by=cadre, category=Concern.Category.HARDSHIP, description="困难帮扶"
    )
    opinion = services.opinion_tag(
        visit=submitted,
        actor=town_leader,
        source="opinion",
        theme=OpinionTheme.objects.first(),
        text="工资偏低",
    )
    services.opinion_forward(opinion=opinion, actor=town_leader, forwarded_to="区人社局", forwarded_on=today)
    # The admin's history pages show the newest item's: its diffs name stored values, not labels
    # (simple-history), so the forwarded one is not the newest.
    services.opinion_tag(
        visit=submitted,
        actor=town_leader,
        source="suggestion",
        theme=OpinionTheme.objects.first(),
        text="建议",
    )
    brief = services.brief_create(actor=town_leader, period="month", year=today.year, number=today.month)
    services.brief_set_items(brief=brief, actor=town_leader, add=[opinion])
    return {
        "opinion": opinion,
        "brief": brief,
        "visit": submitted,
        "concern": concern,
        "open": open_one,
        "enterprise": enterprise,
        "month": f"{today:%Y-%m}",
    }


def _pages(work) -> dict[str, list[str]]:
    visit, concern, enterprise, month = work["visit"], work["concern"], work["enterprise"], work["month"]
    common = [
        reverse("home"),
        reverse("outreach:visit_list"),
        reverse("outreach:visit_detail", args=[visit.pk]),
        reverse("outreach:concern_detail", args=[concern.pk]),
        reverse("outreach:concern_mine"),
        reverse("unions:enterprise_list"),
        reverse("unions:enterprise_detail", args=[enterprise.pk]),
    ]
    leader = [
        *common,
        reverse("outreach:concern_list"),
        f"{reverse('reports:monthly')}?month={month}",
        f"{reverse('reports:monthly_print')}?month={month}",
        f"{reverse('reports:trend')}?month={month}",
        f"{reverse('reports:enterprises')}?month={month}&which=month",
        reverse("outreach:opinion_list"),
        reverse("outreach:opinion_untagged"),
        reverse("outreach:opinion_detail", args=[work["opinion"].pk]),
        reverse("outreach:brief_list"),
        reverse("outreach:brief_detail", args=[work["brief"].pk]),
    ]
    return {
        "cadre": [
            *common,
            reverse("outreach:my_month"),
            reverse("outreach:visit_create"),
            reverse("outreach:visit_update", args=[visit.pk]),
            reverse("outreach:concern_create"),
            reverse("outreach:concern_update", args=[work["open"].pk]),
            reverse("outreach:concern_detail", args=[work["open"].pk]),
        ],
        "town_leader": leader,
        "district_leader": leader,
    }


def _check(client, urls, msgids) -> list[str]:
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        for msgid, text in sorted(english_leftovers(visible_text(response.content.decode()), msgids)):
            problems.append(f"{url}: “{msgid}” in “{text}”")
    return problems


@pytest.mark.parametrize("role", ["cadre", "town_leader", "district_leader"])
def test_the_pages_of_each_role_show_no_english_that_has_a_translation(request, login, month_of_work, role):
    person = request.getfixturevalue(role)
    problems = _check(login(person), _pages(month_of_work)[role], translated_msgids())
    assert not problems, "\n".join(problems)


def _admin_urls(work) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[first.pk]))
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
    return sorted(set(urls))


def test_the_admin_shows_no_english_that_has_a_translation(login, admin_cadre, month_of_work):
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        failures_since_start=3,
        user_agent="Mozilla/5.0",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    AccessLog.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        user_agent="Mozilla/5.0",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    admin_cadre.user.is_staff = admin_cadre.user.is_superuser = True
    admin_cadre.user.save()
    client = login(admin_cadre)
    urls = [u for u in _admin_urls(month_of_work) if client.get(u).status_code == 200]
    problems = _check(client, urls, translated_msgids())
    assert not problems, "\n".join(problems)


def test_the_spreadsheets_show_no_english_that_has_a_translation(login, district_leader, month_of_work):
    client = login(district_leader)
    msgids = translated_msgids()
    problems = []
    for url in [
        f"{reverse('reports:monthly_xlsx')}?month={month_of_work['month']}",
        f"{reverse('reports:visit_ledger_xlsx')}?month={month_of_work['month']}",
        f"{reverse('reports:problem_ledger_xlsx')}?month={month_of_work['month']}",
        reverse("outreach:brief_xlsx", args=[month_of_work["brief"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        for msgid, text in sorted(english_leftovers(workbook_texts(response.content), msgids)):
            problems.append(f"{url}: “{msgid}” in “{text}”")
    assert not problems, "\n".join(problems)
