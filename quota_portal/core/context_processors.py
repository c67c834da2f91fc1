from django.conf import settings


def portal(request):
    """Header data: the acting membership, the others to switch to, unread inbox count."""
    membership = getattr(request, "membership", None)
    unread = 0
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        from .notifications import unread_count

        unread = unread_count(request.user)
    return {
        "acting_membership": membership,
        "other_memberships": [m for m in getattr(request, "memberships", []) if m != membership],
        "inbox_unread": unread,
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
