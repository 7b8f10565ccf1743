"""The quick selects draw what Django's own Select and SelectMultiple draw."""

from django import forms
from django.test.html import parse_html

from lib.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [("", "---------"), (1, "张建国"), (2, "李秀英 <常州>"), ("南区", [(3, "王芳"), (4, "赵强")])]


def test_a_quick_select_draws_django_s_select():
    attrs = {"class": "form-select", "id": "id_cadre", "required": True}
    for value in (None, "", 2, "3"):
        quick = QuickSelect(choices=CHOICES).render("cadre", value, attrs)
        django = forms.Select(choices=CHOICES).render("cadre", value, attrs)
        assert parse_html(quick) == parse_html(django)
    assert '<option value="2" selected>李秀英 &lt;常州&gt;</option>' in QuickSelect(choices=CHOICES).render(
        "c", 2
    )


def test_a_quick_multiple_select_draws_django_s():
    quick = QuickSelectMultiple(choices=CHOICES[1:]).render("companions", [1, 4], {"id": "id_companions"})
    django = forms.SelectMultiple(choices=CHOICES[1:]).render("companions", [1, 4], {"id": "id_companions"})
    assert parse_html(quick) == parse_html(django)
    assert "multiple" in quick and quick.count(" selected") == 2
