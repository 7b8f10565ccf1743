"""Campaign pages (评选): the campaigns a user takes part in, a campaign with its nominations
and their review, nominating, the published list and its workbook.

A campaign is seen by the people of the unit that set it up and of the units below it;
its nominations only by the leaders whose scope holds the nominee (another town's: 404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unions.access import cadre_required

from .. import services
from ..exports import campaign_workbook
from ..forms.campaigns import CampaignForm, CategoryFormSet, DecideForm, NominationForm, ScoreForm
from ..models import Campaign, CampaignCategory, Nomination

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_campaign_for_user(request, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.cadre).for_list(), pk=pk)


def _leaders_only(request) -> None:
    # After the scoped fetch: another town's object is "not found" for everyone.
    if not request.cadre.is_leader:
        raise PermissionDenied(_("Only leaders can open this page."))


def _get_nomination_for_user(request, pk: int) -> Nomination:
    nomination = get_object_or_404(Nomination.objects.visible_to(request.cadre).for_list(), pk=pk)
    # The nominee's town lies below the campaign's unit, so whoever sees it sees the campaign.
    if nomination.category.campaign.is_deleted:
        raise Http404
    return nomination


def _categories(campaign: Campaign, nominations) -> list[CampaignCategory]:
    """The campaign's categories with the nominations shown and the places taken. One query."""
    categories = list(
        campaign.categories.annotate(
            selected_count=Count(
                "nominations",
                filter=Q(nominations__is_deleted=False, nominations__status=Nomination.Status.SELECTED),
            )
        )
    )
    for category in categories:
        category.shown = [n for n in nominations if n.category_id == category.pk]
    return categories


@cadre_required
def campaign_list(request):
    today = timezone.localdate()
    campaigns = list(Campaign.objects.visible_to(request.cadre).for_list())
    for campaign in campaigns:
        campaign.phase = campaign.phase_on(today)
    context = {"campaigns": campaigns, "can_set_up": Campaign.can_set_up(request.cadre)}
    return render(request, "outreach/campaign_list.html", context)


@cadre_required
def campaign_create(request):
    """A district's leader sets up a campaign and its categories (each with a quota)."""
    if not Campaign.can_set_up(request.cadre):
        raise PermissionDenied(_("Only the leaders of a district set up campaigns."))
    campaign = Campaign(unit=request.cadre.unit, created_by=request.cadre)
    posted = request.POST if request.method == "POST" else None
    form = CampaignForm(posted, instance=campaign)
    categories = CategoryFormSet(posted, instance=campaign, prefix="categories")
    if posted is not None:
        if form.is_valid() and categories.is_valid():
            with transaction.atomic():
                campaign = form.save()
                categories.instance = campaign
                categories.save()
            messages.success(request, _("The campaign is set up: town leaders nominate from its page."))
            return redirect(campaign)
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    context = {"form": form, "categories": categories}
    return render(request, "outreach/campaign_form.html", context, status=400 if posted else 200)


@cadre_required
def campaign_detail(request, pk: int):
    cadre = request.cadre
    campaign = _get_campaign_for_user(request, pk)
    today = timezone.localdate()
    can_review = campaign.can_review(cadre)
    phase = campaign.phase_on(today)
    nominations = []
    if cadre.is_leader:
        nominations = list(
            Nomination.objects.visible_to(cadre).filter(category__campaign=campaign).for_list()
        )
    reviewing = can_review and phase == Campaign.Phase.REVIEWING
    for nomination in nominations:
        if reviewing:
            nomination.score_form = ScoreForm(
                initial={
                    "score": nomination.score,
                    "note": nomination.review_note,
                    "version": nomination.version,
                },
                auto_id=f"id_n{nomination.pk}_%s",
            )
    context = {
        "campaign": campaign,
        "phase": phase,
        "phase_label": Campaign.Phase(phase).label,
        "categories": _categories(campaign, nominations),
        "can_review": can_review,
        "reviewing": reviewing,
        "can_nominate": campaign.can_nominate(cadre, today),
        "can_publish": can_review and not campaign.is_published and today > campaign.nomination_closes,
    }
    return render(request, "outreach/campaign_detail.html", context)


@cadre_required
def nomination_create(request, pk: int):
    """?category=<id> chooses the list; ?enterprise= / ?cadre= / ?visit= preselect the nominee
    (the visit and enterprise pages link here)."""
    campaign = _get_campaign_for_user(request, pk)
    _leaders_only(request)
    category_id = request.POST.get("category") or request.GET.get("category") or ""
    category = campaign.categories.filter(pk=int(category_id) if category_id.isdigit() else 0).first()
    if category is None:
        raise Http404
    category.campaign = campaign
    if not campaign.can_nominate(request.cadre, timezone.localdate()):
        raise PermissionDenied(_("Nominations are not open for this campaign."))
    initial = {"nominee": request.GET.get(category.nominee_kind)}
    form = NominationForm(request.POST or None, initial=initial, category=category, cadre=request.cadre)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_create(
                category=category,
                actor=request.cadre,
                nominee=form.cleaned_data["nominee"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Nominated: the app's figures are attached for the review."))
            return redirect(campaign)
    chosen = None
    if category.nominee_kind == CampaignCategory.NomineeKind.VISIT:
        raw = form["nominee"].value()
        chosen = form.fields["nominee"].queryset.filter(pk=int(raw) if str(raw).isdigit() else 0).first()
    context = {"campaign": campaign, "category": category, "form": form, "chosen_visit": chosen}
    return render(request, "outreach/nomination_form.html", context, status=400 if form.errors else 200)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _review_post(request, pk: int, form_class, write):
    nomination = _get_nomination_for_user(request, pk)
    campaign = nomination.category.campaign
    if not campaign.can_review(request.cadre):
        raise PermissionDenied(_("Only the leaders of the organising unit review the nominations."))
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{campaign.get_absolute_url()}#nomination-{nomination.pk}")
    try:
        updated = write(nomination, form.cleaned_data)
    except services.Conflict:
        messages.error(request, _("Someone else reviewed this nomination meanwhile: check it again."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(nominee)s: %(status)s.")
            % {"nominee": updated.nominee, "status": updated.get_status_display()},
        )
    return redirect(f"{campaign.get_absolute_url()}#nomination-{nomination.pk}")


@require_POST
@cadre_required
def nomination_score(request, pk: int):
    def write(nomination, data):
        return services.nomination_score(
            nomination=nomination,
            actor=request.cadre,
            score=data["score"],
            note=data["note"],
            expected_version=data["version"],
        )

    return _review_post(request, pk, ScoreForm, write)


@require_POST
@cadre_required
def nomination_decide(request, pk: int):
    def write(nomination, data):
        return services.nomination_decide(
            nomination=nomination,
            actor=request.cadre,
            selected=data["selected"],
            expected_version=data["version"],
        )

    return _review_post(request, pk, DecideForm, write)


@require_POST
@cadre_required
def nomination_withdraw(request, pk: int):
    nomination = _get_nomination_for_user(request, pk)
    campaign = nomination.category.campaign
    try:
        services.nomination_withdraw(nomination=nomination, actor=request.cadre)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect(campaign)


@require_POST
@cadre_required
def campaign_publish(request, pk: int):
    campaign = _get_campaign_for_user(request, pk)
    if not campaign.can_review(request.cadre):
        raise PermissionDenied(_("Only the leaders of the organising unit publish the results."))
    try:
        services.campaign_publish(campaign=campaign, actor=request.cadre)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(campaign)
    messages.success(request, _("The results are published."))
    return redirect("outreach:campaign_results", pk=campaign.pk)


@cadre_required
def campaign_results(request, pk: int):
    """The published list: everyone who sees the campaign sees who was selected, in every
    town (a list held up in public); before publication it says so."""
    campaign = _get_campaign_for_user(request, pk)
    selected = []
    if campaign.is_published:
        selected = list(Nomination.objects.alive().selected().filter(category__campaign=campaign).for_list())
    context = {"campaign": campaign, "categories": _categories(campaign, selected)}
    return render(request, "outreach/campaign_results.html", context)


@cadre_required
def campaign_xlsx(request, pk: int):
    """Every nomination the leader may see, with its evidence, score and decision."""
    campaign = _get_campaign_for_user(request, pk)
    _leaders_only(request)
    nominations = list(
        Nomination.objects.visible_to(request.cadre).filter(category__campaign=campaign).for_list()
    )
    response = HttpResponse(campaign_workbook(campaign, nominations), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}.xlsx"'
    return response
