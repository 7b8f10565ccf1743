from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lib.admin import SafeAutocompleteMixin
from unions.access import SubtreeAdminMixin, cadre_for
from unions.models import Cadre

from .models import (
    Assessment,
    AssessmentGrade,
    Brief,
    BriefSummary,
    Campaign,
    CampaignCategory,
    Category,
    CategoryTimeLimit,
    Concern,
    ConcernEvent,
    EvaluationRule,
    ModelCase,
    Nomination,
    Notice,
    NoticePreference,
    Opinion,
    OpinionTheme,
    Referral,
    ReferralAccess,
    Visit,
    VisitPhoto,
    WorkingDayOverride,
    YearQuota,
)


class VisitPhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.action(description=_("Restore the selected deleted records"))
def restore(modeladmin, request, queryset):
    """Undo a soft delete, through save() so that the history records the restore."""
    count = 0
    for record in queryset.filter(is_deleted=True):
        record.is_deleted = False
        record.save()
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d record restored.", "%(count)d records restored.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Visit)
class VisitAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "kind", "cadre", "host_union", "host_enterprise", "town", "status", "is_deleted"]
    list_filter = ["kind", "status", "is_deleted", "town"]
    list_select_related = ["cadre", "host_union", "host_enterprise", "town"]
    search_fields = ["cadre__name", "host_enterprise__name", "host_union__name", "work_done"]
    autocomplete_fields = ["cadre", "companions", "host_union", "host_enterprise", "reviewer"]
    date_hierarchy = "date"
    inlines = [VisitPhotoInline]
    actions = [restore]


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
    actions = [restore]


class InheritedSettingAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Settings set at any level and inherited downwards (models/inherited.py). A delegated
    admin sets them for the units of his or her own subtree only (another branch's row does
    not exist for him or her), never the default of every unit; the list says which values
    apply to his or her own unit and where they come from, and each row what would apply
    without it."""

    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]

    def get_list_display(self, request):
        return ["unit_label", *self.list_display]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "without_this_row"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self.delegated_unit_ids(request) is not None and "unit" in form.base_fields:
            form.base_fields["unit"].required = True
        return form

    @admin.display(description=_("unit"), ordering="unit__path")
    def unit_label(self, obj):
        return obj.unit.name if obj.unit_id else gettext("Default of every unit")

    @admin.display(description=_("without this row"))
    def without_this_row(self, obj):
        """What the units below would inherit if this row were deleted. Queries once."""
        if obj is None or obj.pk is None or obj.unit_id is None:
            return "—"
        model = type(obj)
        key = tuple(getattr(obj, f) for f in model.INHERIT_KEY)
        rows = model.objects.exclude(pk=obj.pk).lookup([obj.unit])
        above = model.applying(rows, obj.unit, *key)
        return f"{above.value_label} ({above.source_label})"

    def changelist_view(self, request, extra_context=None):
        ids = self.delegated_unit_ids(request)
        cadre = cadre_for(request.user)
        if ids is not None and cadre is not None and request.method == "GET":
            rows = self.model.objects.lookup([cadre.unit])
            applying = [self.model.applying(rows, cadre.unit, *key) for key in self.setting_keys()]
            self.message_user(
                request,
                gettext("What applies to %(unit)s: %(values)s")
                % {
                    "unit": cadre.unit.name,
                    "values": "；".join(
                        f"{self.key_label(r)}{r.value_label}（{r.source_label}）" for r in applying
                    ),
                },
                messages.INFO,
            )
        return super().changelist_view(request, extra_context)

    def setting_keys(self) -> list[tuple]:
        return [()]

    def key_label(self, row) -> str:
        return ""


@admin.register(CategoryTimeLimit)
class CategoryTimeLimitAdmin(InheritedSettingAdmin):
    """限时办结: the working days per category, per unit (empty: the default of every unit). A
    deadline is counted with the limit of the problem's town when the problem is recorded;
    deadlines already set move only when recompute_deadlines is run."""

    list_display = ["category", "working_days"]
    list_editable = ["working_days"]
    list_filter = ["category"]

    def setting_keys(self):
        return [(category,) for category in Category.values]

    def key_label(self, row):
        return f"{row.get_category_display()} "


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(SimpleHistoryAdmin):
    """Days over China's official calendar: a year the calendar package does not know yet, or a
    local exception. Deadlines already set move only when recompute_deadlines is run."""

    list_display = ["date", "is_working_day", "note"]
    list_editable = ["is_working_day", "note"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"


@admin.register(YearQuota)
class YearQuotaAdmin(InheritedSettingAdmin):
    """强化考核: the days a cadre owes a year, per unit and role; a unit's quota applies to the
    units below it unless they have their own (the year report shows which one applies). A
    delegated admin sets the quotas of his or her own subtree."""

    list_display = ["role", "days", "grassroots_weeks"]
    list_editable = ["days", "grassroots_weeks"]
    list_filter = ["role"]

    def setting_keys(self):
        return [(role,) for role in Cadre.Role.values]

    def key_label(self, row):
        return f"{row.get_role_display()} "


@admin.register(AssessmentGrade)
class AssessmentGradeAdmin(SimpleHistoryAdmin):
    """The grades leaders give; retire a grade (untick "in use") rather than delete it."""

    list_display = ["name", "code", "order", "min_score", "is_active"]
    list_editable = ["order", "min_score", "is_active"]
    list_filter = ["is_active"]

    def get_readonly_fields(self, request, obj=None):
        # Assessments refer to the code: it cannot change once the grade exists.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.assessments.exists()


@admin.register(Assessment)
class AssessmentAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Leaders write and sign off assessments on the assessment page; a signed-off one is frozen."""

    list_display = ["cadre", "year", "quarter", "grade", "signed_by", "signed_at"]
    list_filter = ["year", "quarter", "grade"]
    list_select_related = ["cadre", "signed_by"]
    search_fields = ["cadre__name", "appraisal"]
    autocomplete_fields = ["cadre", "signed_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_signed:
            return ["cadre", "year", "quarter", "appraisal", "grade", "signed_by", "signed_at"]
        return ["signed_by", "signed_at"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_signed


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(InheritedSettingAdmin):
    """效能考评: the weights per unit (empty: the default of every unit)."""

    list_display = ["completion_weight", "on_time_weight", "satisfaction_weight"]


@admin.register(Referral)
class ReferralAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Referrals are opened and decided on their pages; the admin corrects and restores them."""

    scope_field = "town"
    list_display = ["worker_name", "kind", "status", "town", "opened_by", "created_at", "is_deleted"]
    list_filter = ["kind", "status", "is_deleted", "town"]
    list_select_related = ["town", "opened_by"]
    search_fields = ["worker_name", "employer", "concern__description"]
    autocomplete_fields = ["concern", "opened_by", "decided_by"]
    actions = [restore]


@admin.register(ReferralAccess)
class ReferralAccessAdmin(SubtreeAdminMixin, admin.ModelAdmin):
    """PIPL: who opened or exported a referral's personal data, and when. Read only."""

    scope_field = "referral__town"
    list_display = ["at", "cadre", "action", "personal_data_shown", "referral"]
    list_filter = ["action", "personal_data_shown"]
    list_select_related = ["cadre", "referral"]
    search_fields = ["cadre__name", "referral__worker_name"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpinionTheme)
class OpinionThemeAdmin(SimpleHistoryAdmin):
    """The themes leaders tag opinions with; retire a theme (untick "in use") rather than delete it."""

    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.opinions.exists()


@admin.register(Opinion)
class OpinionAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Items are tagged, merged and forwarded on their pages; the admin corrects and restores them."""

    scope_field = "town"
    list_display = ["__str__", "theme", "source", "status", "town", "date", "duplicate_of", "is_deleted"]
    list_filter = ["theme", "source", "status", "is_deleted"]
    list_select_related = ["theme", "town", "duplicate_of"]
    search_fields = ["text", "forwarded_to"]
    raw_id_fields = ["visit", "duplicate_of", "tagged_by"]
    actions = [restore]


class CampaignCategoryInline(admin.TabularInline):
    model = CampaignCategory
    extra = 3
    fields = ["name", "nominee_kind", "quota", "position"]


@admin.register(Campaign)
class CampaignAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """An admin sets up a campaign (评选) and its categories with their quotas here."""

    list_display = ["name", "unit", "nomination_opens", "nomination_closes", "review_closes", "published_at"]
    list_filter = ["is_deleted"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    autocomplete_fields = ["unit"]
    inlines = [CampaignCategoryInline]
    actions = [restore]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = cadre_for(request.user)
        super().save_model(request, obj, form, change)


@admin.register(Nomination)
class NominationAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Nominations are made and reviewed on the campaign's page; the admin restores them."""

    scope_field = "town"
    list_display = ["__str__", "town", "status", "score", "nominated_by", "created_at", "is_deleted"]
    list_filter = ["status", "is_deleted", "category__campaign"]
    list_select_related = ["category", "town", "nominated_by", "enterprise", "cadre", "visit"]
    readonly_fields = ["evidence"]
    autocomplete_fields = ["category", "enterprise", "cadre", "visit"]
    actions = [restore]


@admin.register(Notice)
class NoticeAdmin(SubtreeAdminMixin, admin.ModelAdmin):
    """Notices and their e-mails: a failed delivery stays waiting with its error (retried by the
    next run_notices). Read only: run_notices and the app's writes make them."""

    scope_field = "recipient__unit"
    list_display = ["created_at", "recipient", "kind", "read_at", "mail_state", "mail_attempts", "mail_error"]
    list_filter = ["mail_state", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__name", "key", "mail_error"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CampaignCategory)
class CampaignCategoryAdmin(SubtreeAdminMixin, admin.ModelAdmin):
    scope_field = "campaign__unit"
    list_display = ["name", "campaign", "nominee_kind", "quota"]
    list_select_related = ["campaign"]
    search_fields = ["name", "campaign__name"]


@admin.register(ModelCase)
class ModelCaseAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    scope_field = "visit__town"
    list_display = ["title", "visit", "marked_by", "created_at", "is_deleted"]
    list_filter = ["is_deleted"]
    list_select_related = ["visit", "visit__host_enterprise", "visit__host_union", "marked_by"]
    search_fields = ["title", "write_up"]
    autocomplete_fields = ["visit"]


class BriefSummaryInline(SafeAutocompleteMixin, admin.TabularInline):
    model = BriefSummary
    extra = 0
    autocomplete_fields = ["theme"]


@admin.register(Brief)
class BriefAdmin(SubtreeAdminMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Briefs are drafted and published on their pages; the admin corrects and restores them."""

    scope_field = "unit"
    list_display = ["title", "unit", "period", "year", "number", "status", "published_at", "is_deleted"]
    list_filter = ["status", "period", "is_deleted"]
    list_select_related = ["unit"]
    search_fields = ["title"]
    raw_id_fields = ["items", "created_by", "published_by"]
    inlines = [BriefSummaryInline]
    actions = [restore]


@admin.register(NoticePreference)
class NoticePreferenceAdmin(SubtreeAdminMixin, admin.ModelAdmin):
    scope_field = "cadre__unit"
    list_display = ["cadre", "daily_digest"]
    list_select_related = ["cadre"]
    raw_id_fields = ["cadre"]
    search_fields = ["cadre__name"]
