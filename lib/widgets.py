"""Select widgets for long lists, drawn in Python.

Django draws each <option> through a template of its own: a filter with a district's 300 cadres
took most of the visit list's time (bench/load.py). These draw the same HTML as Django's Select
and SelectMultiple with one format_html per option.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class _Quick:
    def render(self, name, value, attrs=None, renderer=None):
        # Django's Select.optgroups and create_option, without a dict of attributes per option.
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        wanted = set(self.format_value(value))
        has_selected = False
        groups = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                group_name, choices = group_value, group_label
            else:
                group_name, choices = None, [(group_value, group_label)]
            options = []
            for option_value, label in choices:
                option = "" if option_value is None else str(option_value)
                selected = (not has_selected or self.allow_multiple_selected) and option in wanted
                has_selected |= selected
                options.append((option, " selected" if selected else "", label))
            html = format_html_join("", '<option value="{}"{}>{}</option>', options)
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(attrs),
            format_html_join("", "{}", ((group,) for group in groups)),  # each drawn safe above
        )


class QuickSelect(_Quick, forms.Select):
    pass


class QuickSelectMultiple(_Quick, forms.SelectMultiple):
    pass
