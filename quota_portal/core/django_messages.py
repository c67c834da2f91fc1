"""Django's own messages that its Kazakh catalogue lacks, so that tools/i18n.py extracts them into
ours (LOCALE_PATHS wins over Django's catalogues). Without them a Kazakh page falls back to the
default language and shows Russian: "10 месяцев қалды", password rules, the email error.
Kazakh month names are also given in lower case, as Kazakh writes them. Never called."""
from django.utils.translation import gettext_noop, ngettext, pgettext_lazy


def _markers():  # pragma: no cover - only read by makemessages
    gettext_noop("Enter a valid email address.")
    gettext_noop("The two password fields didn’t match.")
    gettext_noop("This password is too common.")
    gettext_noop("This password is entirely numeric.")
    gettext_noop("The password is too similar to the %(verbose_name)s.")
    gettext_noop("Your password can’t be too similar to your other personal information.")
    gettext_noop("Your password can’t be a commonly used password.")
    gettext_noop("Your password can’t be entirely numeric.")
    ngettext("This password is too short. It must contain at least %d character.",
             "This password is too short. It must contain at least %d characters.", 1)
    ngettext("Your password must contain at least %(min_length)d character.",
             "Your password must contain at least %(min_length)d characters.", 1)
    ngettext("%(num)d year", "%(num)d years", 1)
    ngettext("%(num)d month", "%(num)d months", 1)
    ngettext("%(num)d week", "%(num)d weeks", 1)
    ngettext("%(num)d day", "%(num)d days", 1)
    ngettext("%(num)d hour", "%(num)d hours", 1)
    ngettext("%(num)d minute", "%(num)d minutes", 1)
    for month in ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"):
        gettext_noop(month)
    pgettext_lazy("alt. month", "January")
    pgettext_lazy("alt. month", "February")
    pgettext_lazy("alt. month", "March")
    pgettext_lazy("alt. month", "April")
    pgettext_lazy("alt. month", "May")
    pgettext_lazy("alt. month", "June")
    pgettext_lazy("alt. month", "July")
    pgettext_lazy("alt. month", "August")
    pgettext_lazy("alt. month", "September")
    pgettext_lazy("alt. month", "October")
    pgettext_lazy("alt. month", "November")
    pgettext_lazy("alt. month", "December")
