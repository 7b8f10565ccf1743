def current_cadre(request):
    """Expose the logged-in user's cadre profile (or None) to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_cadre": None}
    from .access import cadre_for

    return {"current_cadre": cadre_for(user)}
