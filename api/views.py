"""The API's resources: the directory (read), visits (list, read, create, update), problems
(list, read, create, status changes) and the monthly report's figures (read).

Each view fetches through the same scoped QuerySets as the pages (`visible_to(cadre)`, so
another unit's object is 404) and writes through the same forms and services (api/writes.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.ids import parse_id
from lib.months import month_label, parse_month
from lib.search import text_search
from outreach import services
from outreach.filters.concerns import ConcernFilter
from outreach.filters.visits import VisitFilter
from outreach.forms.concerns import ConcernForm, TransitionForm
from outreach.models import Concern, Visit, VisitPhoto
from outreach.views.visits import CONFLICT
from reports.report import build_monthly_report
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from . import serializers
from .access import ActsAsCadre, LeadersOnly, is_token
from .writes import form_errors, model_errors, visit_entry


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ApiView:
    permission_classes = [IsAuthenticated, ActsAsCadre]
    lookup_value_converter = "int"

    def finalize_response(self, request, response, *args, **kwargs):
        # Personal data, for a token too (lib.headers only knows session users).
        response.headers.setdefault("Cache-Control", "no-store")
        return super().finalize_response(request, response, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "cadre": getattr(self.request, "cadre", None)}

    def get_object(self):
        # An id past the database's integers is no row (and no query: it would overflow).
        if parse_id(self.kwargs.get("pk")) is None:
            raise NotFound
        return super().get_object()


# --- The directory ---------------------------------------------------------------------


class UnitViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Units (district and town/zone federations) in the caller's scope."""

    serializer_class = serializers.UnitSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DistrictUnion.objects.none()
        return self.request.cadre.scope_units().order_by("parent_id", "code", "name", "pk")


SEARCH = OpenApiParameter("q", OpenApiTypes.STR, description="Words in the name (and credit code, chair)")


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
class EnterpriseViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Enterprise unions in the caller's scope (the directory list's rows)."""

    serializer_class = serializers.EnterpriseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EnterpriseUnion.objects.none()
        qs = EnterpriseUnion.objects.visible_to(self.request.cadre).select_related("district_union")
        if self.action == "list":
            q = self.request.query_params.get("q", "").strip()[:100]
            qs = text_search(qs, q, ("name", "credit_code", "chair_name"))
        return qs.order_by("name", "pk")


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
class CadreViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Cadres of the units in the caller's scope."""

    serializer_class = serializers.CadreSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Cadre.objects.none()
        qs = Cadre.objects.visible_to(self.request.cadre).select_related("unit")
        if self.action == "list":
            qs = text_search(qs, self.request.query_params.get("q", "").strip()[:100], ("name", "post"))
        return qs.order_by("unit_id", "name", "pk")


# --- Visits ----------------------------------------------------------------------------


# A photo the author removed (soft delete) is not shown, as on the visit page.
_PHOTOS = Prefetch("photos", queryset=VisitPhoto.objects.alive().order_by("id"))


def _visits_for(cadre: Cadre):
    """Visits the cadre may see, with what the serializer shows: live problems and photos."""
    concerns = Concern.objects.alive().order_by("id")
    return (
        Visit.objects.visible_to(cadre)
        .for_detail()
        .prefetch_related(_PHOTOS, Prefetch("concerns", queryset=concerns))
    )


class VisitViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Visits the caller may see, with the visit list's filters (month, kind, town, cadre,
    status, plan, q…). Create and update follow the record form's rules."""

    serializer_class = serializers.VisitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = VisitFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's dry run
            return Visit.objects.none()
        return _visits_for(self.request.cadre).order_by("-date", "-id")

    def _answer(self, pk: int, status_code: int) -> Response:
        visit = Visit.objects.for_detail().prefetch_related(_PHOTOS, "concerns").get(pk=pk)
        return Response(self.get_serializer(visit).data, status=status_code)

    def _replay(self, client_uuid) -> Response | None:
        """A create sent again (a retry, a second tab, a lost answer): the visit it made."""
        known = Visit.objects.filter(client_uuid=client_uuid).values_list("pk", "cadre_id").first()
        if known is None:
            return None
        if known[1] != self.request.cadre.pk:
            raise Conflict(_("This client id belongs to another record: generate a new one."))
        return self._answer(known[0], status.HTTP_200_OK)

    @extend_schema(
        request=serializers.VisitWriteSerializer,
        responses={201: serializers.VisitSerializer, 200: serializers.VisitSerializer},
    )
    def create(self, request):
        """Record a visit. With `client_uuid`, repeating the request returns the same visit (200)."""
        payload = serializers.VisitWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        client_uuid = data.get("client_uuid")
        if client_uuid and (replayed := self._replay(client_uuid)):
            return replayed
        entry = visit_entry(cadre=request.cadre, visit=None, data=data)
        try:
            visit = entry.save(client_uuid=client_uuid)
        except IntegrityError:
            # The same client id, saved by a request that ran at the same time.
            if client_uuid and (replayed := self._replay(client_uuid)):
                return replayed
            raise
        except DjangoValidationError as error:
            raise model_errors(error) from error
        return self._answer(visit.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.VisitWriteSerializer, responses={200: serializers.VisitSerializer})
    def update(self, request, pk=None):
        """Change a visit as its edit form does (author and companions, until it is reviewed).
        Send `version` to be told (409) when someone else saved it since it was read."""
        visit = self.get_object()
        if not visit.is_editable_by(request.cadre):
            raise PermissionDenied(
                _("Only the author and companions can edit a visit, and only until it is reviewed.")
            )
        payload = serializers.VisitWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = visit_entry(cadre=request.cadre, visit=visit, data=payload.validated_data)
        try:
            entry.save()
        except services.Conflict as conflict:
            current = Visit.objects.get(pk=visit.pk)
            when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
            raise Conflict(str(CONFLICT % {"when": when})) from conflict
        except DjangoValidationError as error:
            raise model_errors(error) from error
        return self._answer(visit.pk, status.HTTP_200_OK)


# --- Problems --------------------------------------------------------------------------


class ConcernFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "cadre": request.cadre}


class ConcernViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Problems (诉求) the caller may see, with the problem list's filters."""

    serializer_class = serializers.ConcernSerializer
    filter_backends = [ConcernFilterBackend]
    filterset_class = ConcernFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Concern.objects.none()
        return (
            Concern.objects.visible_to(self.request.cadre)
            .for_list()
            .select_related("enterprise__district_union")
            .order_by("due_date", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "mask_phones": is_token(self.request)}

    def _answer(self, pk: int, status_code: int) -> Response:
        concern = Concern.objects.for_list().select_related("enterprise__district_union").get(pk=pk)
        return Response(self.get_serializer(concern).data, status=status_code)

    @extend_schema(
        request=serializers.ConcernCreateSerializer, responses={201: serializers.ConcernSerializer}
    )
    def create(self, request):
        """Record a problem (首问负责: the caller owns it), for a visit or on its own."""
        payload = serializers.ConcernCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        cadre = request.cadre
        visit = None
        if data.get("visit"):
            visit = (
                Visit.objects.visible_to(cadre)
                .select_related("host_enterprise", "host_union")
                .filter(pk=data["visit"])
                .first()
            )
            if visit is None:
                raise ValidationError({"visit": [_("No such visit in your area.")]})
        post = {k: ("" if v is None else v) for k, v in data.items() if k != "visit"}
        post["enterprise"] = data.get("enterprise") or ""
        post["received_on"] = data["received_on"].isoformat() if data.get("received_on") else ""
        if not data.get("answered_on_site"):
            post.pop("answered_on_site", None)
        form = ConcernForm(post, cadre=cadre, visit=visit)
        if not form.is_valid():
            raise form_errors(form)
        try:
            concern = services.concern_create(received_by=cadre, visit=visit, **form.cleaned_data)
        except DjangoValidationError as error:
            raise model_errors(error) from error
        return self._answer(concern.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.TransitionSerializer, responses={200: serializers.ConcernSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the problem along open → in progress → resolved → closed (its owner only)."""
        concern = self.get_object()
        if not concern.is_actionable_by(request.cadre):
            raise PermissionDenied(_("Only the problem's owner can do this."))
        payload = serializers.TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        form = TransitionForm({k: ("" if v is None else v) for k, v in payload.validated_data.items()})
        if not form.is_valid():
            raise form_errors(form)
        fields = {k: form.cleaned_data[k] for k in ("to_status", "note", "callback_note", "satisfaction")}
        try:
            services.concern_transition(
                concern=concern, actor=request.cadre, expected_version=form.cleaned_data["version"], **fields
            )
        except services.Conflict as conflict:
            raise Conflict(
                _("Someone else changed this problem since you read it: read it again and retry.")
            ) from conflict
        except DjangoValidationError as error:
            raise model_errors(error) from error
        return self._answer(concern.pk, status.HTTP_200_OK)


# --- The monthly report ----------------------------------------------------------------


def jsonable(value):
    """The report's sections as JSON: units and cadres as {id, name}, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


MONTH = OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM (default: this month)")
UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="A unit in scope (default: the caller's)")


class MonthlyReportView(ApiView, APIView):
    """The monthly report's figures (督促考评), for leaders and system tokens."""

    permission_classes = [IsAuthenticated, ActsAsCadre, LeadersOnly]

    @extend_schema(parameters=[MONTH, UNIT], responses={200: serializers.MonthlyReportSerializer})
    def get(self, request):
        cadre = request.cadre
        raw_month = request.query_params.get("month", "").strip()
        month = parse_month(raw_month) if raw_month else parse_month(month_label(timezone.localdate()))
        if month is None:
            raise ValidationError(
                {
                    "month": [
                        _("“%(month)s” is not a month (use YYYY-MM, for example 2026-11).")
                        % {"month": raw_month[:20]}
                    ]
                }
            )
        raw_unit = request.query_params.get("unit", "").strip()
        if raw_unit:
            unit_id = parse_id(raw_unit)
            if unit_id is None:
                raise NotFound
            unit = get_object_or_404(cadre.scope_units(), pk=unit_id)
        else:
            unit = cadre.unit
        report = build_monthly_report(unit, month, timezone.localdate())
        return Response(
            {
                "unit": {"id": unit.pk, "name": unit.name},
                "month": month_label(month),
                "sections": jsonable(report.sections),
            }
        )
