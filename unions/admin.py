import datetime
import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lib.admin import SafeAutocompleteMixin, TranslatedPermissionsMixin

from .access import SubtreeAdminMixin, cadre_for
from .accounts.invitations import activation_sheet, invitation_send, invitations_send
from .accounts.sheet import sheet_xlsx
from .ledger.apply import apply_plan
from .ledger.export import build_csv, build_xlsx, cadre_rows, enterprise_rows, unit_rows
from .ledger.format import CADRE_COLUMNS, ENTERPRISE_COLUMNS, UNIT_COLUMNS
from .ledger.plan import plan_cadres, plan_enterprises, plan_units
from .ledger.read import ImportFileError, read_table
from .ledger.stash import drop_stash, stash_file, unstash_file
from .models import Cadre, DistrictUnion, EnterpriseUnion

logger = logging.getLogger(__name__)


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                _("Only .xlsx and .csv files can be imported (an old .xls: save it again as .xlsx)."),
                code="file_type",
            )
        limit = settings.DIRECTORY_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into several files."),
                code="file_size",
                params={"size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
            )
        return upload


class DirectoryImportMixin:
    """Import (preview, then confirm) and export of the ledger for one directory model.

    Only directory admins may use it: staff with add and change permission on the model (and on
    users, for cadres), who are not leaders or cadres with staff rights by mistake.
    """

    change_list_template = "admin/unions/change_list_import.html"
    import_columns: tuple = ()
    import_permissions: tuple[str, ...] = ()
    stash_key = "directory_import"

    def plan(self, table):
        raise NotImplementedError

    def export_rows(self, queryset):
        raise NotImplementedError

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path("import/template/", wrap(self.import_template_view), name=f"{prefix}_import_template"),
            path("export/", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def _is_directory_admin(self, user) -> bool:
        """Staff accounts without a cadre profile qualify; a cadre profile must be an active admin's."""
        if not hasattr(user, "_import_cadre"):
            user._import_cadre = Cadre.objects.filter(user=user).first()
        cadre = user._import_cadre
        return cadre is None or (cadre.is_active and cadre.role == Cadre.Role.ADMIN)

    def has_import_permission(self, request) -> bool:
        user = request.user
        perms = [f"{self.opts.app_label}.{action}_{self.opts.model_name}" for action in ("add", "change")]
        # The import matches rows across the whole directory: not for a delegated admin (yet).
        delegated = getattr(self, "delegated_unit_ids", lambda request: None)(request) is not None
        return (
            not delegated
            and user.is_active
            and user.is_staff
            and user.has_perms([*perms, *self.import_permissions])
            and self._is_directory_admin(user)
        )

    def has_export_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{self.opts.app_label}.view_{self.opts.model_name}")
            and self._is_directory_admin(user)
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            if self.has_import_permission(request):
                response.context_data["import_url"] = self._url("import")
            if self.has_export_permission(request):
                # The export keeps the list's current filters and search.
                response.context_data["export_url"] = self._url("export") + cl.get_query_string()
                response.context_data["export_csv_url"] = self._url("export") + cl.get_query_string(
                    {"format": "csv"}
                )
        return response

    def _url(self, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {"form": ImportFileForm(), "plan": None, "stash": None}
        if request.method == "POST" and "stash" in request.POST:
            return self._confirm(request, context)
        if request.method == "POST":
            form = ImportFileForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data = upload.read()
                try:
                    context["plan"] = self.plan(read_table(data, upload.name, self.import_columns))
                except ImportFileError as exc:
                    form.add_error("file", str(exc))
                else:
                    context["file_name"] = upload.name
                    if context["plan"].is_valid and (context["plan"].added or context["plan"].updated):
                        context["stash"] = stash_file(request.session, self.stash_key, data, upload.name)
        return self._render(request, context)

    def _confirm(self, request, context):
        stashed = unstash_file(request.session, self.stash_key, request.POST["stash"])
        if stashed is None:
            messages.error(request, gettext("The previewed file has expired. Upload it again."))
            return redirect(self._url("import"))
        data, name = stashed
        try:
            plan = self.plan(read_table(data, name, self.import_columns))
            if not plan.is_valid:  # the directory changed since the preview
                context.update(plan=plan, file_name=name)
                return self._render(request, context)
            to_invite = apply_plan(plan, user=request.user)
        except (DatabaseError, ImportFileError):
            logger.exception("Directory import failed; the transaction was rolled back.")
            messages.error(
                request, gettext("The import failed and was undone: the directory is unchanged. Try again.")
            )
            return redirect(self._url("import"))
        drop_stash(request.session, self.stash_key)
        messages.success(
            request,
            gettext("Imported %(name)s: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "name": name,
                "added": len(plan.added),
                "updated": len(plan.updated),
                "unchanged": plan.unchanged,
            },
        )
        if to_invite:
            mailed = invitations_send(cadres=to_invite, request=request)
            messages.info(
                request,
                gettext(
                    "%(mailed)d invitations mailed. Cadres without an e-mail address: select them and "
                    "download the activation sheet."
                )
                % {"mailed": mailed},
            )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _render(self, request, context):
        plan = context.get("plan")
        context.update(
            self.admin_site.each_context(request),
            opts=self.opts,
            title=gettext("Import %(name)s") % {"name": self.opts.verbose_name_plural},
            columns=self.import_columns,
            max_mb=settings.DIRECTORY_IMPORT_MAX_BYTES / 1024 / 1024,
            template_url=self._url("import_template"),
            shown_errors=plan.errors[:500] if plan else [],
            shown_added=plan.added[:200] if plan else [],
            shown_updated=plan.updated[:200] if plan else [],
            is_cadre_import=self.model is Cadre,
            is_unit_import=self.model is DistrictUnion,
        )
        return TemplateResponse(request, "admin/unions/import.html", context)

    def import_template_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        content = build_xlsx(self.import_columns, [], title=str(self.opts.verbose_name_plural), notes=True)
        return self._download(
            content, gettext("%(name)s import template") % {"name": self.opts.verbose_name_plural}, "xlsx"
        )

    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        as_csv = request.GET.get("format") == "csv"
        request.GET = request.GET.copy()
        request.GET.pop("format", None)  # not a changelist filter
        # The changelist's filters and search apply, so an admin can export one town's ledger.
        queryset = self.get_changelist_instance(request).get_queryset(request)
        rows = self.export_rows(queryset)
        stem = f"{self.opts.verbose_name_plural}-{timezone.localdate():%Y%m%d}"
        if as_csv:
            return self._download(build_csv(self.import_columns, rows), stem, "csv")
        return self._download(
            build_xlsx(self.import_columns, rows, title=str(self.opts.verbose_name_plural)),
            stem,
            "xlsx",
        )

    def _download(self, content: bytes, stem: str, extension: str) -> HttpResponse:
        content_type = (
            "text/csv; charset=utf-8"
            if extension == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{extension}")
        return response


@admin.register(DistrictUnion)
class DistrictUnionAdmin(SubtreeAdminMixin, DirectoryImportMixin, SafeAutocompleteMixin, admin.ModelAdmin):
    scope_field = ""
    import_columns = UNIT_COLUMNS

    def plan(self, table):
        return plan_units(table)

    def export_rows(self, queryset):
        return unit_rows(queryset)

    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self.delegated_unit_ids(request) is not None:
            # A delegated admin adds units below his or her own, never a new top of the tree.
            form.base_fields["parent"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        # A delegated admin's own unit stays as the office above placed it.
        cadre = cadre_for(request.user)
        if obj is not None and not request.user.is_superuser and cadre and obj.pk == cadre.unit_id:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)


@admin.register(EnterpriseUnion)
class EnterpriseUnionAdmin(
    SubtreeAdminMixin, DirectoryImportMixin, SafeAutocompleteMixin, SimpleHistoryAdmin
):
    scope_field = "district_union"
    import_columns = ENTERPRISE_COLUMNS

    def plan(self, table):
        return plan_enterprises(table)

    def export_rows(self, queryset):
        return enterprise_rows(queryset)

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
class CadreAdmin(SubtreeAdminMixin, DirectoryImportMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    import_columns = CADRE_COLUMNS
    import_permissions = ("auth.add_user", "auth.change_user")

    def plan(self, table):
        return plan_cadres(table)

    def export_rows(self, queryset):
        return cadre_rows(queryset)

    list_display = ["name", "unit", "post", "role", "phone", "is_active", "invited_at"]
    list_filter = ["unit", "role", "is_active"]
    list_select_related = ["unit", "user"]
    search_fields = ["name", "phone", "post", "user__username"]
    autocomplete_fields = ["user", "unit", "towns", "contact_enterprises"]
    readonly_fields = ["invited_at"]
    actions = ["send_invitations", "download_activation_sheet"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new cadre whose login has no password yet gets the invitation by mail
            invitation_send(cadre=obj, request=request)

    @admin.action(
        description=_("Mail the invitation (to those with an e-mail address, not yet activated)"),
        permissions=["change"],
    )
    def send_invitations(self, request, queryset):
        sent = invitations_send(cadres=queryset.select_related("user", "unit"), request=request)
        self.message_user(
            request, gettext("%(count)d invitations mailed.") % {"count": sent}, messages.SUCCESS
        )

    @admin.action(description=_("Download the activation sheet (.xlsx)"), permissions=["change"])
    def download_activation_sheet(self, request, queryset):
        rows = activation_sheet(
            queryset.select_related("user", "unit").order_by("unit__code", "name", "pk"), request
        )
        expires = timezone.localdate() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return self._download(sheet_xlsx(rows, expires=expires), gettext("activation sheet"), "xlsx")


class CadreInline(SubtreeAdminMixin, SafeAutocompleteMixin, admin.StackedInline):
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
class UserAdmin(SubtreeAdminMixin, TranslatedPermissionsMixin, SimpleHistoryAdmin, BaseUserAdmin):
    scope_field = "cadre__unit"
    inlines = [CadreInline]
    list_display = ["username", "cadre_name", "is_active", "is_staff", "last_login"]
    list_select_related = ["cadre"]

    def get_queryset(self, request):
        queryset = super(SubtreeAdminMixin, self).get_queryset(request)
        ids = self.delegated_unit_ids(request)
        if ids is None:
            return queryset
        # A login just added has no cadre profile yet: its admin gives it one on the next page.
        return queryset.filter(Q(cadre__unit__in=ids) | Q(cadre__isnull=True))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A delegated admin manages the logins of the subtree, never anyone's powers.
            fields += ["is_superuser", "groups", "user_permissions"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new login with a password the admin typed: the cadre picks his or her own at first login.
        if not change and form.instance.has_usable_password():
            _password_set_by_admin(form.instance.pk)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the password was saved
            _password_set_by_admin(unquote(id))
        return response

    @admin.display(description=_("cadre"), ordering="cadre__name")
    def cadre_name(self, obj):
        cadre = getattr(obj, "cadre", None)
        return cadre.name if cadre else "—"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissionsMixin, BaseGroupAdmin):
    pass


def _password_set_by_admin(user_id) -> None:
    for cadre in Cadre.objects.filter(user_id=user_id, must_change_password=False):
        cadre.must_change_password = True
        cadre.save(update_fields=["must_change_password"])
