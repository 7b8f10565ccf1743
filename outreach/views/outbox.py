"""The outbox: visits recorded on this phone without a connection, waiting to be sent."""

from django.shortcuts import render

from unions.access import cadre_required


@cadre_required
def outbox(request):
    """The page is a frame: static/js/outbox.js lists the records from the phone's IndexedDB
    (the server knows nothing of them until they are sent)."""
    return render(request, "outreach/outbox.html")
