from django.conf import settings


def portal(request):
    """Header data: the acting membership, the others to switch to, unread inbox count."""
    membership = getattr(request, "membership", None)
    unread = 0
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        from .notifications import unread_count

        unread = unread_count(request.user)
    # An app may name the acting role more precisely (the Commission's chair is not "a member").
    role_label = None
    if membership is not None:
        from .registry import page_blocks

        role_label = next((ctx["label"] for _template, ctx in page_blocks("acting_role", request, membership)
                           if ctx.get("label")), None)
    return {
        "acting_membership": membership,
        "acting_role_label": role_label or (membership.get_role_display() if membership is not None else ""),
        "other_memberships": [m for m in getattr(request, "memberships", []) if m != membership],
        "inbox_unread": unread,
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
