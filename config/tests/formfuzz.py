"""Machinery for test_form_fuzz: read a page's form, fill every field with hostile values."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

# Markup that must never come back unescaped.
MARKERS = ['<script>alert("x")</script>', "<svg onload=alert(1)>"]
HOSTILE = [
    *MARKERS,
    '"><svg onload=alert(1)>',
    "'; DROP TABLE unions_enterpriseunion; --",
    "{{ request }}{% debug %}",
    "\x00",
    "名\x00称",
    "\r\n\t\x0b\x0c\x1b[31m\x7f",
    "\u202e\u200b\ufeff\u2028",
    "😀👷‍♀️" * 40,
    "x" * 100_000,
    "中" * 5_000,
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    " ",
    "",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "２０２６-１１-０１",
    "2026-13-01",
    "../../etc/passwd",
    "%s%n%x",
    "http://example.invalid/",
]


@dataclass
class Field:
    tag: str
    type: str
    name: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(method=a.get("method", "get").lower(), action=a.get("action", "")))
        elif not self.forms or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        elif tag in ("input", "textarea"):
            kind = a.get("type", "text").lower() if tag == "input" else "textarea"
            if kind not in ("submit", "button", "reset", "image", "file"):
                self.forms[-1].fields.append(Field(tag, kind, a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = Field(tag, "select", a["name"], multiple="multiple" in a)
            self.forms[-1].fields.append(self._select)
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def find_form(html: str, method: str, path: str) -> Form:
    """The page's own form (not the logout or language forms of base.html)."""
    parser = _FormParser()
    parser.feed(html)
    candidates = [f for f in parser.forms if f.method == method and f.action in ("", path)]
    if not candidates:
        raise AssertionError(f"no {method.upper()} form posting to {path} on the page")
    return max(candidates, key=lambda f: len(f.fields))


KEEP_HIDDEN = {"csrfmiddlewaretoken"}  # and the formset management fields below


def _value(options: list[str]) -> st.SearchStrategy[str]:
    choices = [st.sampled_from(HOSTILE), st.text(max_size=200), st.integers().map(str), st.dates().map(str)]
    if options:
        choices.append(st.sampled_from(options))
    return st.one_of(*choices)


def fuzzed_values(draw, form: Form) -> dict:
    """One hostile submission of `form` (use inside @given(st.data()) with data.draw)."""
    values: dict[str, object] = {}
    for f in form.fields:
        if f.type == "hidden" and (f.name in KEEP_HIDDEN or "-" in f.name):
            values[f.name] = f.value  # CSRF token and inline formset management forms
            continue
        if f.type in ("checkbox", "radio"):
            chosen = draw(st.one_of(st.none(), st.just(f.value or "on"), st.sampled_from(HOSTILE)))
        elif f.multiple:
            chosen = draw(st.lists(_value(f.options), max_size=3))
        else:
            chosen = draw(st.one_of(st.none(), _value(f.options)))
        if chosen is not None:
            values[f.name] = chosen
    return values


def uniform_values(form: Form, value: str) -> dict:
    """`value` in every field the user can type into (the deterministic sweep before hypothesis)."""
    values: dict[str, object] = {}
    for f in form.fields:
        if f.type == "hidden" and (f.name in KEEP_HIDDEN or "-" in f.name):
            values[f.name] = f.value
        else:
            values[f.name] = [value] if f.multiple else value
    return values
