"""Read-side queries of the app (joins, summaries) used by views and other apps."""


def dashboard_panel(request):
    """(template, context) for this app's panel on the acting user's dashboard, or None."""
    return None
