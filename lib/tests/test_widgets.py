"""The quick selects draw what Django's own Select and SelectMultiple draw."""

import pytest
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


@pytest.mark.django_db
def test_a_quick_select_of_model_choices_draws_django_s(district, town):
    """What the filters and forms give it: a model choice field's choices (an empty label, then
    each row's id wrapped with its object), the picked id as a number or as sent."""
    from lib.ids import RangeCheckedModelChoiceField
    from unions.models import DistrictUnion
    from unions.tests.factories import TownFactory

    TownFactory(parent=district, name="南区 <二>")
    field = RangeCheckedModelChoiceField(queryset=DistrictUnion.objects.order_by("path"))
    assert isinstance(field.widget, QuickSelect)
    for value in (None, town.pk, str(town.pk)):
        quick = field.widget.render("town", value, {"id": "id_town"})
        django = forms.Select(choices=field.choices).render("town", value, {"id": "id_town"})
        assert parse_html(quick) == parse_html(django)
    assert f'<option value="{town.pk}" selected>' in field.widget.render("town", town.pk)
    assert "南区 &lt;二&gt;" in quick
