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
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(option["value"]), flatatt(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),  # each drawn safe above
        )


class QuickSelect(_Quick, forms.Select):
    pass


class QuickSelectMultiple(_Quick, forms.SelectMultiple):
    pass
