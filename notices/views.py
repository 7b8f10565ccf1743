"""The inbox (通知): the cadre's notices, each opening its object; mark read, all read; the
e-mail preferences."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from outreach.models import Notice, NoticePreference
from unions.access import cadre_required

from .forms import PreferenceForm
from .targets import target_url

PAGE_SIZE = 30


def _notice_for(cadre, pk: int) -> Notice:
    """The cadre's own notice; anybody else's is 404."""
    return get_object_or_404(Notice.objects.for_inbox(cadre), pk=pk)


@require_safe
@cadre_required
def inbox(request):
    notices = Notice.objects.for_inbox(request.cadre).select_related(
        "visit__host_union", "visit__host_enterprise"
    )
    if request.GET.get("unread") == "1":
        notices = notices.unread()
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/notice_list.html", {"page_obj": page, "notices": page.object_list})


@require_safe
@cadre_required
def open_notice(request, notice_pk: int):
    """Mark the notice read and go to its object; a polite page when the object is gone."""
    notice = _notice_for(request.cadre, notice_pk)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    notice.recipient = request.cadre
    url = target_url(notice)
    if url is None:
        return render(request, "notices/notice_gone.html", {"notice": notice})
    return redirect(url)


@require_POST
@cadre_required
def read(request, notice_pk: int):
    notice = _notice_for(request.cadre, notice_pk)
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notices:inbox")


@require_POST
@cadre_required
def read_all(request):
    count = Notice.objects.for_inbox(request.cadre).unread().update(read_at=timezone.now())
    messages.success(request, _("%(count)d notices marked read.") % {"count": count})
    return redirect("notices:inbox")


@cadre_required
def preferences(request):
    """Which notices come by e-mail, and one daily digest instead of a mail per event."""
    preference = NoticePreference.objects.filter(cadre=request.cadre).first() or NoticePreference(
        cadre=request.cadre
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notices:preferences")
    context = {"form": form, "email": request.user.email}
    return render(request, "notices/preferences.html", context, status=400 if form.errors else 200)
