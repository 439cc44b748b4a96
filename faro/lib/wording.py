"""Words Django translates that Faro words differently, so makemessages keeps them in Faro's catalogue
(faro/lib/locale comes first in LOCALE_PATHS, so these win over Django's own).

- Brazilian Portuguese writes month and weekday names in lower case ("19 de maio de 2021").
- Spanish, Portuguese and French write language names in lower case mid-sentence ("en español");
  a template that shows one on its own capitalises it (`|capfirst`).
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
WEEKDAYS = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)
LANGUAGE_NAMES = (gettext_noop("English"), gettext_noop("Spanish"), gettext_noop("Portuguese"), gettext_noop("French"))


def agreeing(person: object, *, woman: str, man: str, neutral: str) -> str:
    """The wording that agrees with `person`'s gender where Faro knows it (Spanish, Portuguese and French
    inflect "inscrito/inscrita", "bienvenido/bienvenida"), else the neutral one. Callers pass
    `pgettext("woman", msgid)`, `pgettext("man", msgid)` and `gettext(msgid)` of one msgid."""
    return {"woman": woman, "man": man}.get(str(getattr(person, "gender", "") or ""), neutral)
