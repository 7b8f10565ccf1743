from django.utils.functional import SimpleLazyObject


def menu_counts(request):
    """The bell's and the review queue's counts, queried only when a page's menu shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from unions.access import cadre_for

    from .menu import menu_counts as counts

    cadre = cadre_for(user)
    if cadre is None:
        return {}
    return {"menu_counts": SimpleLazyObject(lambda: counts(cadre))}
