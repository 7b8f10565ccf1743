"""Machinery for test_isolation: which object each object URL needs, and a checksum of the data."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict

from outreach.tests.factories import (
    BriefFactory,
    CampaignFactory,
    ConcernFactory,
    NominationFactory,
    NoticeFactory,
    OpinionFactory,
    ReferralFactory,
    VisitFactory,
)
from unions.models import Cadre
from unions.tests.factories import EnterpriseFactory, LeaderFactory

from .urlwalk import Route, all_routes

# URL name "visit_detail" / kwarg "visit_pk" → noun "visit" → how to make one that belongs to `owner`
# (a cadre of the victim town). A new kind of object URL needs one line here, or the suite fails.
OBJECT_FACTORIES: dict[str, Callable[[Cadre], models.Model]] = {
    "visit": lambda owner: VisitFactory(
        cadre=owner, host_enterprise=EnterpriseFactory(district_union=owner.unit)
    ),
    "concern": lambda owner: ConcernFactory(
        owner=owner, enterprise=EnterpriseFactory(district_union=owner.unit)
    ),
    "problem": lambda owner: ConcernFactory(
        owner=owner, enterprise=EnterpriseFactory(district_union=owner.unit)
    ),
    "referral": lambda owner: ReferralFactory(
        concern=ConcernFactory(owner=owner, enterprise=EnterpriseFactory(district_union=owner.unit))
    ),
    "opinion": lambda owner: OpinionFactory(
        visit=VisitFactory(cadre=owner, host_enterprise=EnterpriseFactory(district_union=owner.unit))
    ),
    # A campaign of the victim town itself (a district's campaign is the other town's too),
    # and a nomination from the victim town in the district's campaign.
    "campaign": lambda owner: CampaignFactory(unit=owner.unit),
    "nomination": lambda owner: NominationFactory(
        enterprise=EnterpriseFactory(district_union=owner.unit), category__campaign__reviewing=True
    ),
    "notice": lambda owner: NoticeFactory(recipient=owner),
    "brief": lambda owner: BriefFactory(created_by=LeaderFactory(unit=owner.unit)),
    "enterprise": lambda owner: EnterpriseFactory(district_union=owner.unit),
    "cadre": lambda owner: owner,
    "unit": lambda owner: owner.unit,
    "town": lambda owner: owner.unit,
}
# Tables whose rows must not change when an outsider pokes at an object URL (history included).
CHECKED_APPS = {"unions", "outreach", "reports", "auth"}


def object_routes() -> list[Route]:
    """Every URL outside the admin with an <int:...> kwarg (the admin has its own permission model)."""
    return [route for route in all_routes() if route.int_kwargs and route.namespace != "admin"]


def noun_for(route: Route, kwarg: str) -> str:
    if kwarg in ("pk", "id"):
        return re.split(r"[_-]", route.name.split(":")[-1])[0]  # visit_detail, api:visit-detail
    return kwarg.removesuffix("_pk").removesuffix("_id")


def make_objects(route: Route, owner: Cadre) -> dict[str, models.Model]:
    objects = {}
    for kwarg in route.int_kwargs:
        noun = noun_for(route, kwarg)
        if noun not in OBJECT_FACTORIES:
            raise LookupError(
                f"{route}: no factory for '{noun}' (kwarg {kwarg}); add one to OBJECT_FACTORIES in {__name__}"
            )
        objects[kwarg] = OBJECT_FACTORIES[noun](owner)
    return objects


def tampered_post_data(obj: models.Model) -> dict:
    """The object's own fields with every text replaced: what a hostile POST would send."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if isinstance(value, str):
            data[name] = "篡改"
        elif isinstance(value, bool | int | float):
            data[name] = value
    return {**data, "status": "closed", "work_done": "篡改", "description": "篡改", "version": 1}


def db_checksum() -> str:
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.app_label not in CHECKED_APPS:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        digest.update(model._meta.label.encode())
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


def breaches(client, route: Route, owner: Cadre) -> list[str]:
    """What goes wrong when the logged-in `client` (an outsider) opens `route` for `owner`'s objects."""
    objects = make_objects(route, owner)
    path = route.path(**{kwarg: obj.pk for kwarg, obj in objects.items()})
    main = next(iter(objects.values()))
    found = []
    statuses = {}
    before = db_checksum()
    for method, kwargs in (("get", {}), ("post", {"data": tampered_post_data(main)})):
        response = getattr(client, method)(path, **kwargs)
        statuses[method] = response.status_code
        # 405 (a POST-only view opened with GET) says nothing about the object: fine.
        if response.status_code not in (404, 405):
            found.append(f"{method.upper()} {path} answered {response.status_code}, not 404")
    if 404 not in statuses.values():
        found.append(f"{path}: neither GET nor POST answered 404 ({statuses})")
    if db_checksum() != before:
        found.append(f"{path}: the database changed")
    return found
