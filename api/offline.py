"""What the offline app needs beyond the visits resource: the cadre's own hosts to keep on the
phone (api:offline-hosts) and photos uploaded in pieces that resume (api:photo-upload)."""

from __future__ import annotations

from django import forms
from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.ids import parse_id
from outreach import services
from outreach.forms.visits import DirectoryCheckForm, MultipleImageField, photo_max_bytes
from outreach.models import Visit, VisitPhoto
from unions.models import DistrictUnion, EnterpriseUnion

from . import serializers
from .access import ActsAsCadre, CadresOnly
from .uploads import PartialPhoto
from .views import ApiView, Conflict


class OfflineHostsView(ApiView, APIView):
    """The hosts the cadre may record a visit at, as the visit form's host search offers them
    (own towns and contact enterprises first, marked `mine`), with the directory facts the form
    shows: what the phone keeps for recording without a connection."""

    permission_classes = [IsAuthenticated, ActsAsCadre, CadresOnly]

    @extend_schema(responses={200: serializers.OfflineHostsSerializer})
    def get(self, request):
        cadre = request.cadre
        unions = DistrictUnion.objects.hosts_for(cadre).only("pk", "name")
        enterprises = EnterpriseUnion.objects.hosts_for(cadre).only(
            "pk", "name", "district_union__name", *DirectoryCheckForm.FACTS
        )
        return Response(
            {
                "unions": [{"id": u.pk, "label": u.name, "mine": u.rank == 0} for u in unions],
                "enterprises": [
                    {
                        "id": e.pk,
                        "label": e.name,
                        "town": e.district_union.name,
                        "mine": e.rank < 2,
                        "facts": {name: getattr(e, name) for name in DirectoryCheckForm.FACTS},
                    }
                    for e in enterprises
                ],
            }
        )


PHOTO_ID = OpenApiParameter("client_uuid", str, required=True, description="The photo's client id")


class PhotoUploadView(ApiView, APIView):
    """A photo of a visit, sent in pieces (`offset`, the photo's `size` in bytes, the piece in
    `chunk`); GET says how much of it arrived. A piece sent again is not added twice; the last
    piece makes the photo, checked and re-encoded as the record form does."""

    permission_classes = [IsAuthenticated, ActsAsCadre, CadresOnly]
    parser_classes = [MultiPartParser]

    def _visit(self, request, visit_pk) -> Visit:
        if parse_id(visit_pk) is None:
            raise NotFound
        return get_object_or_404(Visit.objects.visible_to(request.cadre), pk=visit_pk)

    def _state(self, visit: Visit, client_uuid, size: int | None = None) -> Response:
        photo = VisitPhoto.objects.filter(client_uuid=client_uuid).only("pk", "visit_id").first()
        if photo is not None and photo.visit_id != visit.pk:
            raise Conflict(_("This client id belongs to another record: generate a new one."))
        received = PartialPhoto(visit.pk, client_uuid).received()
        body = {"client_uuid": client_uuid, "received": received, "size": size, "photo": None}
        if photo is not None:
            body.update(received=size, photo=photo)
        return Response(serializers.PhotoUploadSerializer(body).data)

    @extend_schema(parameters=[PHOTO_ID], responses={200: serializers.PhotoUploadSerializer})
    def get(self, request, visit_pk):
        visit = self._visit(request, visit_pk)
        query = serializers.PhotoQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self._state(visit, query.validated_data["client_uuid"])

    @extend_schema(
        request={"multipart/form-data": serializers.PhotoChunkSerializer},
        responses={200: serializers.PhotoUploadSerializer},
    )
    def post(self, request, visit_pk):
        visit = self._visit(request, visit_pk)
        if not visit.is_editable_by(request.cadre):
            raise PermissionDenied(
                _("Only the author and companions can edit a visit, and only until it is reviewed.")
            )
        payload = serializers.PhotoChunkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        client_uuid, size, chunk = data["client_uuid"], data["size"], data["chunk"]
        limit = photo_max_bytes()
        if size > limit:
            message = _("The photo “%(name)s” is larger than %(mb)s MB.") % {
                "name": chunk.name,
                "mb": round(limit / 1024 / 1024, 1),
            }
            raise ValidationError({"size": [message]})
        if data["offset"] + chunk.size > size:
            raise ValidationError({"chunk": [_("This piece goes past the end of the photo.")]})
        if VisitPhoto.objects.filter(client_uuid=client_uuid).exists():
            return self._state(visit, client_uuid, size)
        partial = PartialPhoto(visit.pk, client_uuid)
        received = partial.append(data["offset"], chunk.read())
        if received < size:
            return self._state(visit, client_uuid, size)
        return self._complete(request, visit, partial, chunk.name, size)

    def _complete(self, request, visit: Visit, partial: PartialPhoto, name: str, size: int) -> Response:
        try:
            (photo,) = MultipleImageField(required=True).clean([partial.as_upload(name)])
        except forms.ValidationError as error:
            partial.discard()  # the phone is told why; what it sends next starts again
            raise ValidationError({"chunk": error.messages}) from error
        try:
            services.visit_photo_add(
                visit=visit, photo=photo, editor=request.cadre, client_uuid=partial.client_uuid
            )
        except IntegrityError:
            pass  # the same photo, completed by a request that ran at the same time
        partial.discard()
        return self._state(visit, partial.client_uuid, size)
