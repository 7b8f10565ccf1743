"""Every URL pattern of the project, with a concrete sample path, for the tests that walk them all.

Patterns from path() get sample values per converter; the admin's regex patterns get a small
sampler. Each sample is checked to resolve back to its own pattern, so a pattern this cannot
sample fails loudly instead of escaping the walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLES = {"int": "1", "str": "1", "slug": "x", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


@dataclass(frozen=True)
class Route:
    name: str  # "outreach:visit_detail"; "admin:?" for the admin's unnamed catch-alls
    namespace: str  # "outreach", "" for the root URLconf
    route: str  # the pattern text, for messages
    int_kwargs: tuple[str, ...] = field(default=())  # e.g. ("pk",) for <int:pk>
    pattern: object = field(default=None, compare=False, repr=False)
    pieces: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.route})"

    def path(self, **values) -> str:
        """A concrete path; `values` fill named kwargs (e.g. pk=obj.pk), the rest get samples."""
        return "/" + "".join(_sample(piece, values) for piece in self.pieces)


def _sample(pattern, values) -> str:
    if isinstance(pattern, RoutePattern):

        def fill(match):
            converter, name = match.group(1) or "str", match.group(2)
            return str(values.get(name, SAMPLES.get(converter, "1")))

        return re.sub(r"<(?:(\w+):)?(\w+)>", fill, str(pattern))
    if isinstance(pattern, RegexPattern):
        text = str(pattern).lstrip("^").rstrip("$")
        text = re.sub(
            r"\(\?P<(\w+)>([^)]*)\)", lambda m: str(values.get(m.group(1), m.group(2).split("|")[0])), text
        )
        text = text.replace("([^/]+)", "1").replace("(.*)", "x/").replace(".*", "x/")
        return text
    raise TypeError(f"unknown pattern type {type(pattern)!r}")


def _walk(patterns, pieces=(), namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, (*pieces, pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            all_pieces = (*pieces, pattern.pattern)
            route = "".join(str(p) for p in all_pieces)
            int_kwargs = tuple(re.findall(r"<int:(\w+)>", route))
            yield Route(
                name=namespace + (pattern.name or "?"),
                namespace=namespace.rstrip(":"),
                route=route,
                int_kwargs=int_kwargs,
                pattern=pattern,
                pieces=all_pieces,
            )


def all_routes() -> list[Route]:
    routes = list(_walk(get_resolver().url_patterns))
    for route in routes:
        match = resolve(route.path())
        if match.func is not route.pattern.callback and match.url_name != route.pattern.name:
            raise AssertionError(
                f"urlwalk cannot sample {route}: {route.path()} resolves to {match.view_name}"
            )
    return routes


def login_redirect_prefix(route: Route) -> str:
    return "/admin/login/" if route.namespace.split(":")[0] == "admin" else "/accounts/login/"
