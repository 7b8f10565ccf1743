from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from lib.admin import SafeAutocompleteMixin

from .models import CategoryTimeLimit, Concern, ConcernEvent, EvaluationRule, Visit, VisitPhoto


class VisitPhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Visit)
class VisitAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "kind", "cadre", "host_union", "host_enterprise", "town", "status", "is_deleted"]
    list_filter = ["kind", "status", "is_deleted", "town"]
    list_select_related = ["cadre", "host_union", "host_enterprise", "town"]
    search_fields = ["cadre__name", "host_enterprise__name", "host_union__name", "work_done"]
    autocomplete_fields = ["cadre", "companions", "host_union", "host_enterprise", "reviewer"]
    date_hierarchy = "date"
    inlines = [VisitPhotoInline]
    actions = ["restore"]

    @admin.action(description=_("Restore the selected deleted visits"))
    def restore(self, request, queryset):
        count = 0
        for visit in queryset.filter(is_deleted=True):
            visit.is_deleted = False
            visit.save()  # through save() so that the history records the restore
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d visit restored.", "%(count)d visits restored.", count) % {"count": count},
            messages.SUCCESS,
        )


class ConcernEventInline(admin.TabularInline):
    model = ConcernEvent
    extra = 0
    readonly_fields = [
        "kind",
        "actor",
        "from_owner",
        "to_owner",
        "from_status",
        "to_status",
        "note",
        "created_at",
    ]
    can_delete = False


@admin.register(Concern)
class ConcernAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["description", "category", "owner", "town", "due_date", "status", "is_deleted"]
    list_filter = ["category", "status", "is_deleted", "town"]
    list_select_related = ["owner", "town"]
    search_fields = ["description", "owner__name", "enterprise__name"]
    autocomplete_fields = ["visit", "enterprise", "owner", "received_by"]
    inlines = [ConcernEventInline]
    actions = ["restore"]

    @admin.action(description=_("Restore the selected deleted problems"))
    def restore(self, request, queryset):
        count = 0
        for concern in queryset.filter(is_deleted=True):
            concern.is_deleted = False
            concern.save()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d problem restored.", "%(count)d problems restored.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(CategoryTimeLimit)
class CategoryTimeLimitAdmin(admin.ModelAdmin):
    list_display = ["category", "working_days"]
    list_editable = ["working_days"]


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "completion_weight", "on_time_weight", "satisfaction_weight"]

    def has_add_permission(self, request):
        return not EvaluationRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
