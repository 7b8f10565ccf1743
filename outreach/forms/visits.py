"""Forms for recording and reviewing visits (「一天」 records)."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.ids import RangeCheckedModelChoiceField, RangeCheckedModelMultipleChoiceField, parse_id
from lib.months import FIRST_YEAR, LAST_YEAR
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from ..models import Category, Visit
from ..photos import check_pixels, phone_friendly
from ..services import visit_save
from .concerns import clean_phone

# Long enough for a full day's notes; a 10,000-character paste is refused with a clear message.
TEXT_MAX = 5000
SHORT_TEXT_MAX = 2000
PHOTO_MAX_COUNT = 10

ACTION_PLAN = "plan"
ACTION_DRAFT = "draft"
ACTION_SUBMIT = "submit"
ACTIONS = (ACTION_PLAN, ACTION_DRAFT, ACTION_SUBMIT)

TEXT_FIELDS = Visit.TEXT_FIELDS


def photo_max_bytes() -> int:
    """Settings-configurable (VISIT_PHOTO_MAX_BYTES); 5 MB by default."""
    return settings.VISIT_PHOTO_MAX_BYTES


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several photos in one input; each is verified by Pillow, size- and pixel-limited, and
    cleans to the re-encoded file that is stored (outreach.photos)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > PHOTO_MAX_COUNT:
            raise forms.ValidationError(
                _("At most %(count)d photos at a time."), code="too_many", params={"count": PHOTO_MAX_COUNT}
            )
        limit = photo_max_bytes()
        cleaned = []
        for f in files:
            if f.size > limit:
                raise forms.ValidationError(
                    _("The photo “%(name)s” is larger than %(mb)s MB."),
                    code="too_large",
                    params={"name": f.name, "mb": round(limit / 1024 / 1024, 1)},
                )
            check_pixels(f)
            cleaned.append(phone_friendly(super().clean(f, initial)))
        return cleaned


class EnterpriseChoiceField(RangeCheckedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


OUTSIDE_DISTRICT = _(
    "This host is not in your district: choose a federation or an enterprise of your district."
)


def _preset_date(raw) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(str(raw or "")[:10])
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


class VisitForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics discussed"),
        choices=Visit.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    photos = MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_("Images only, at most 10 at a time."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Visit
        fields = ["kind", "date", "host_union", "host_enterprise", "companions", "topics", *Visit.TEXT_FIELDS]
        field_classes = {
            "host_enterprise": EnterpriseChoiceField,
            "host_union": RangeCheckedModelChoiceField,
            "companions": RangeCheckedModelMultipleChoiceField,
        }
        widgets = {
            "kind": forms.RadioSelect,
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "people_met": forms.Textarea(attrs={"rows": 2}),
            "work_done": forms.Textarea(attrs={"rows": 4}),
            "answered_questions": forms.Textarea(attrs={"rows": 3}),
            "worker_opinions": forms.Textarea(attrs={"rows": 3}),
            "suggestions": forms.Textarea(attrs={"rows": 3}),
            "reflections": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cadre: Cadre, action: str = ACTION_SUBMIT, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        self.action = action if action in ACTIONS else ACTION_SUBMIT
        self.fields["kind"].choices = Visit.Kind.choices
        self.fields["host_union"].queryset = DistrictUnion.objects.hosts_for(cadre)
        self.fields["host_enterprise"].queryset = EnterpriseUnion.objects.hosts_for(cadre)
        # The host is chosen with the host search (static/js/host_picker.js): hidden inputs, so
        # the page never lists the directory; the choice is checked against the same querysets.
        for name, kind in (("host_union", "union"), ("host_enterprise", "enterprise")):
            self.fields[name].error_messages["invalid_choice"] = OUTSIDE_DISTRICT
            self.fields[name].required = False
            self.fields[name].widget = forms.HiddenInput(attrs={"data-picker-type": kind})
        author_id = self.instance.cadre_id or cadre.pk
        self.fields["companions"].queryset = (
            Cadre.objects.active()
            .filter(unit__in=cadre.district_units())
            .exclude(pk=author_id)
            .order_by("name")
        )
        self.fields["companions"].help_text = _("Other cadres who spent the day with you.")
        # What was done is required to submit (the form starts as a submit, so the asterisk
        # shows); a plan or a draft may leave it for later. The error names the field's label.
        work_done = self.fields["work_done"]
        work_done.required = self.action == ACTION_SUBMIT
        work_done.error_messages["required"] = gettext("Fill in “%(field)s” to submit the visit.") % {
            "field": work_done.label
        }
        for name in TEXT_FIELDS:
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))
            self.fields[name].widget.attrs["maxlength"] = TEXT_MAX
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["topics"].initial = self.instance.topics

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date > timezone.localdate() and self.action != ACTION_PLAN:
            raise forms.ValidationError(
                _("This date is in the future: record a day once it is done, or save it as a plan."),
                code="future",
            )
        return date

    def clean(self):
        cleaned = super().clean()
        union, enterprise = cleaned.get("host_union"), cleaned.get("host_enterprise")
        has_host_error = "host_union" in self.errors or "host_enterprise" in self.errors
        if not has_host_error:
            if union and enterprise:
                self.add_error(
                    "host_enterprise",
                    forms.ValidationError(
                        _("Choose only one host: a federation or an enterprise, not both."), code="two_hosts"
                    ),
                )
            elif not union and not enterprise:
                self.add_error(
                    "host_enterprise",
                    forms.ValidationError(
                        _("Choose the host: a town/zone federation or an enterprise union."), code="no_host"
                    ),
                )
        return cleaned


class DirectoryCheckForm(forms.Form):
    """The host enterprise's directory facts, confirmed or corrected at the visit."""

    confirm = forms.BooleanField(
        label=_("I checked these facts with the enterprise (update the directory)"), required=False
    )
    has_union = forms.NullBooleanField(label=_("Has a union"), required=False)
    has_office = forms.NullBooleanField(label=_("Has a union work office"), required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, max_value=1_000_000, required=False)
    members = forms.IntegerField(label=_("Union members"), min_value=0, max_value=1_000_000, required=False)
    chair_name = forms.CharField(label=_("Union chair"), max_length=50, required=False)
    fulltime_cadre_name = forms.CharField(label=_("Full-time union cadre"), max_length=50, required=False)

    FACTS = ["has_union", "has_office", "employees", "members", "chair_name", "fulltime_cadre_name"]

    @classmethod
    def initial_for(cls, enterprise: EnterpriseUnion | None) -> dict:
        if enterprise is None:
            return {}
        return {name: getattr(enterprise, name) for name in cls.FACTS}

    def clean(self):
        cleaned = super().clean()
        employees, members = cleaned.get("employees"), cleaned.get("members")
        if employees is not None and members is not None and members > employees:
            self.add_error(
                "members",
                forms.ValidationError(
                    _("Union members (%(members)d) cannot outnumber the employees (%(employees)d)."),
                    code="members_gt_employees",
                    params={"members": members, "employees": employees},
                ),
            )
        return cleaned

    def changes(self) -> dict | None:
        """The facts to write when confirmed (None when the cadre did not confirm)."""
        if not self.cleaned_data.get("confirm"):
            return None
        # Empty means "not checked": a blank box never erases what the directory knows.
        return {
            name: self.cleaned_data[name]
            for name in self.FACTS
            if self.cleaned_data.get(name) not in (None, "")
        }


class ConcernInlineForm(forms.Form):
    """A problem raised during the visit; its owner is the cadre who received it (首问负责)."""

    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *Category.choices])
    description = forms.CharField(
        label=_("Description"),
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": SHORT_TEXT_MAX}),
    )
    workers_affected = forms.IntegerField(
        label=_("Workers affected"), min_value=1, max_value=1_000_000, initial=1, required=False
    )
    worker_name = forms.CharField(label=_("Worker's name"), max_length=50, required=False)
    worker_phone = forms.CharField(
        label=_("Worker's phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    answered_on_site = forms.BooleanField(label=_("Answered on the spot"), required=False)

    def clean_worker_phone(self):
        return clean_phone(self.cleaned_data["worker_phone"])

    def has_changed(self) -> bool:
        # The number of workers starts at 1: a box with nothing else typed is still empty.
        return any(name != "workers_affected" for name in self.changed_data)

    def clean_workers_affected(self):
        value = self.cleaned_data["workers_affected"]
        return 1 if value is None else value


CONCERNS_MAX = 20
# absolute_max too: a tampered TOTAL_FORMS (100000) builds no more than 20 forms and is refused.
ConcernFormSet = forms.formset_factory(
    ConcernInlineForm, extra=2, max_num=CONCERNS_MAX, absolute_max=CONCERNS_MAX, validate_max=True
)
# Editing a visit whose problems are recorded: they are listed, and one box for a new one.
MoreConcernsFormSet = forms.formset_factory(
    ConcernInlineForm, extra=1, max_num=CONCERNS_MAX, absolute_max=CONCERNS_MAX, validate_max=True
)


class VisitEntry:
    """The record form's three parts, bound and saved together: the visit, the directory
    check of its host enterprise, and the problems raised."""

    SAVED = {
        ACTION_PLAN: _("The visit is planned."),
        ACTION_DRAFT: _("The draft is saved."),
        ACTION_SUBMIT: _("The visit is submitted."),
    }

    def __init__(self, *, cadre: Cadre, visit: Visit | None, data=None, files=None, query=None):
        self.cadre, self.visit = cadre, visit
        action = data.get("action", ACTION_SUBMIT) if data is not None else ACTION_SUBMIT
        self.action = action if action in ACTIONS else ACTION_SUBMIT
        initial, self.host_enterprise = {}, visit.host_enterprise if visit else None
        if visit is None and data is None:
            initial = self._preset(query or {})
        instance = visit or Visit(cadre=cadre)
        self.form = VisitForm(
            data, files, instance=instance, cadre=cadre, action=self.action, initial=initial
        )
        self.directory = DirectoryCheckForm(
            data, prefix="dir", initial=DirectoryCheckForm.initial_for(self.host_enterprise)
        )
        # The problems already recorded at this visit (a returned visit's, say): listed with a
        # link to each, never offered again as empty boxes to be typed twice.
        self.recorded = list(visit.concerns.alive().order_by("id")) if visit else []
        formset = MoreConcernsFormSet if self.recorded else ConcernFormSet
        self.concerns = formset(data, prefix="concerns")

    def _preset(self, query) -> dict:
        """Links from my month or the directory preset the host, the kind and the date (also
        the no-JS path). A host outside the cadre's district is ignored."""
        initial = {"date": timezone.localdate()}
        enterprise_id, union_id = parse_id(query.get("host_enterprise")), parse_id(query.get("host_union"))
        if enterprise_id:
            self.host_enterprise = (
                EnterpriseUnion.objects.hosts_for(self.cadre).filter(pk=enterprise_id).first()
            )
        if self.host_enterprise:
            initial["host_enterprise"] = self.host_enterprise.pk
        elif union_id and DistrictUnion.objects.hosts_for(self.cadre).filter(pk=union_id).exists():
            initial["host_union"] = union_id
        if query.get("kind") in Visit.Kind.values:
            initial["kind"] = query["kind"]
        day = _preset_date(query.get("date"))
        if day is not None:
            initial["date"] = day  # planning from a day of the calendar
        return initial

    def is_valid(self) -> bool:
        return self.form.is_valid() & self.directory.is_valid() & self.concerns.is_valid()

    def save(self, *, client_uuid=None) -> Visit:
        """Write through services.visit_save; raises Conflict or ValidationError, writing nothing.
        `client_uuid`: the offline app's id of a new visit (IntegrityError if it exists)."""
        return visit_save(
            visit=self.form.save(commit=False),
            editor=self.cadre,
            action=self.action,
            companions=self.form.cleaned_data["companions"],
            photos=self.form.cleaned_data["photos"],
            concerns=[f.cleaned_data for f in self.concerns if f.has_changed() and f.cleaned_data],
            directory=self.directory.changes(),
            expected_version=self.form.cleaned_data.get("version") if self.visit else None,
            client_uuid=client_uuid,
        )

    def show_current(self) -> Visit:
        """After a conflict: the user's text stays, and the next save deliberately replaces the
        version now shown. Returns the current visit."""
        current = Visit.objects.select_related("cadre").get(pk=self.visit.pk)
        data = self.form.data.copy()
        data["version"] = current.version
        self.form = VisitForm(data, instance=current, cadre=self.cadre, action=self.action)
        self.form.is_valid()
        return current

    def add_model_errors(self, error: ValidationError) -> None:
        """Model rules (e.g. members <= employees) reported where the user typed the value."""
        errors = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        for name, messages in errors.items():
            target = self.directory if name in self.directory.fields else self.form
            target.add_error(name if name in target.fields else None, messages)

    def host_label(self) -> str:
        """The name of the host the form holds, shown by the host search. Queries once, unless
        it is the visit's or the preset host (loaded already)."""
        enterprise_id = parse_id(self.form["host_enterprise"].value())
        union_id = parse_id(self.form["host_union"].value())
        if enterprise_id:
            if self.host_enterprise is not None and self.host_enterprise.pk == enterprise_id:
                return self.host_enterprise.label
            found = EnterpriseUnion.objects.hosts_for(self.cadre).filter(pk=enterprise_id).first()
            return found.label if found else ""
        if union_id:
            if self.visit is not None and self.visit.host_union_id == union_id:
                return self.visit.host_union.name
            found = DistrictUnion.objects.hosts_for(self.cadre).filter(pk=union_id).first()
            return found.name if found else ""
        return ""

    def context(self) -> dict:
        visit = self.visit
        label = self.host_label()
        for name in ("host_union", "host_enterprise"):
            field = self.form[name]
            self.form.fields[name].widget.attrs["data-label"] = label if field.value() else ""
        return {
            "form": self.form,
            "directory_form": self.directory,
            "concern_formset": self.concerns,
            "recorded_concerns": self.recorded,
            "visit": visit,
            "host_enterprise": self.host_enterprise,
            # Keyed by user: static/js/drafts.js removes other users' drafts and all at logout.
            "draft_key": f"visit-draft:{self.cadre.user_id}:{visit.pk if visit else 'new'}",
            "show_plan": visit is None or visit.status == Visit.Status.PLANNED,
            "plan_action": ACTION_PLAN,
        }
