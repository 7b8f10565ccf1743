"""Administrators issue and revoke the tokens of other systems; the key is shown once."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    list_filter = ["unit"]
    list_select_related = ["unit", "created_by"]
    search_fields = ["name", "prefix"]
    fields = ["name", "unit", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    raw_id_fields = ["unit"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # The unit is fixed once issued: a token for another unit is a new token.
        return [*self.readonly_fields, "unit"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.issue_key()
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                gettext(
                    "The token's key is %(key)s — copy it now into the other system: it is stored only "
                    "as a hash and cannot be shown again."
                )
                % {"key": key},
            )
            return
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the token's history stays

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, gettext("%(count)d tokens revoked.") % {"count": count})
