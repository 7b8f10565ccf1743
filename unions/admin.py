from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_widgets import SafeAutocompleteMixin
from .models import Cadre, DistrictUnion, EnterpriseUnion


@admin.register(DistrictUnion)
class DistrictUnionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    ordering = ["parent_id", "code", "name"]


@admin.register(EnterpriseUnion)
class EnterpriseUnionAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "credit_code",
        "district_union",
        "employees",
        "members",
        "has_union",
        "has_office",
        "is_active",
        "last_verified_at",
    ]
    list_filter = ["district_union", "has_union", "has_office", "is_active"]
    list_select_related = ["district_union"]
    search_fields = ["name", "credit_code", "chair_name", "fulltime_cadre_name"]
    autocomplete_fields = ["district_union"]
    readonly_fields = ["last_verified_at", "last_verified_by"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "credit_code", "district_union", "is_active"]}),
        (_("Union establishment"), {"fields": ["has_union", "has_office", "employees", "members"]}),
        (_("People and contact"), {"fields": ["chair_name", "fulltime_cadre_name", "phone", "address"]}),
        (_("Verification"), {"fields": ["last_verified_at", "last_verified_by"]}),
    ]


@admin.register(Cadre)
class CadreAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "post", "role", "phone", "is_active"]
    list_filter = ["unit", "role", "is_active"]
    list_select_related = ["unit", "user"]
    search_fields = ["name", "phone", "post", "user__username"]
    autocomplete_fields = ["user", "unit", "towns", "contact_enterprises"]


class CadreInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Cadre
    can_delete = False
    extra = 0
    max_num = 1
    fk_name = "user"
    autocomplete_fields = ["unit", "towns", "contact_enterprises"]
    verbose_name_plural = _("cadre profile")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    inlines = [CadreInline]
    list_display = ["username", "cadre_name", "is_active", "is_staff", "last_login"]
    list_select_related = ["cadre"]

    @admin.display(description=_("cadre"), ordering="cadre__name")
    def cadre_name(self, obj):
        cadre = getattr(obj, "cadre", None)
        return cadre.name if cadre else "—"
