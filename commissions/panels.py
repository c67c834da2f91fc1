"""Dashboard panels (filled in with the sessions)."""


def akimat_panel(request):
    return None


def ministry_panel(request):
    return None
