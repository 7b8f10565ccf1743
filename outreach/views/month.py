"""My month (我的本月): the cadre's three kinds of day, weekly grassroots days and plans."""

from django.shortcuts import render

from lib.months import current_month, parse_month
from unions.access import cadre_required

from ..month import MyMonth


@cadre_required
def my_month(request):
    """?month=YYYY-MM shows another month; anything else shows the current one."""
    first = parse_month(request.GET.get("month")) or current_month()
    context = MyMonth.of(request.cadre, first).context()
    return render(request, "outreach/my_month.html", {"cadre": request.cadre, **context})
