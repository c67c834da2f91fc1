"""Reading decisions (filled in with the Decision models)."""


def current_decision_summary(application):
    return None
