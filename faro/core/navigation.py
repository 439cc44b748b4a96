"""The site navigation. Entries whose URL is not (yet) installed are skipped."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    audience: str  # "public", "user", "staff", "partner", "focal_point", "reviewer", "manager", "nominator", "delegate"


PUBLIC_NAV = [
    NavItem("portal:news", _("News"), "public"),
    NavItem("portal:calendar", _("Calendar"), "public"),
    NavItem("courses:catalogue", _("Courses"), "public"),
    NavItem("scholarships:calls", _("Scholarships"), "public"),
    NavItem("webinars:webinars", _("Webinars"), "public"),
    NavItem("meetings:meetings", _("Meetings"), "public"),
    NavItem("reports:impact", _("Our impact"), "public"),
    NavItem("certificates:verification_form", _("Verify a certificate"), "public"),
]

# The signed-in user's own things, listed on their page ("My page"); "person" items need a
# directory record (staff accounts may have none).
MY_NAV = [
    NavItem("scholarships:my_applications", _("My scholarship applications"), "person"),
    NavItem("certificates:my_certificates", _("My certificates"), "user"),  # the page answers every account
    NavItem("portal:my_data", _("My data and privacy"), "person"),
    NavItem("portal:my_preferences", _("My interests and notifications"), "person"),
    NavItem("api:tokens", _("API tokens"), "user"),
    NavItem("api:webhooks", _("Webhooks"), "partner"),
]


@dataclass(frozen=True)
class NavGroup:
    """A heading in the management menu and its links; append items to the group they belong to."""

    key: str
    label: Any
    items: list[NavItem] = field(default_factory=list)


MANAGE_NAV = [
    NavGroup(
        "programmes",
        _("Programmes"),
        [
            NavItem("courses:manage_courses", _("Courses"), "manager"),
            NavItem("scholarships:manage_calls", _("Calls"), "manager"),
            NavItem("scholarships:endorsements", _("Endorsements"), "focal_point"),
            NavItem("scholarships:my_reviews", _("Reviews"), "reviewer"),
            NavItem("webinars:manage_webinars", _("Webinars"), "manager"),
            NavItem("meetings:manage_meetings", _("Meetings"), "manager"),
            NavItem("meetings:delegations", _("Delegations"), "delegate"),
            NavItem("certificates:manage_certificates", _("Certificates"), "staff"),
        ],
    ),
    NavGroup(
        "people",
        _("People"),
        [
            NavItem("accounts:manage_people", _("People and access"), "staff"),
            NavItem("accounts:manage_invitations", _("Nominations"), "nominator"),
            NavItem("directory:people", _("People"), "staff"),
            NavItem("directory:people", _("People"), "focal_point"),
            NavItem("directory:institutions", _("Institutions"), "staff"),
            NavItem("directory:member_states", _("Member states"), "staff"),
        ],
    ),
    NavGroup(
        "communication",
        _("Communication"),
        [
            NavItem("portal:manage_mailings", _("Mailings"), "staff"),
            NavItem("portal:manage_news", _("News posts"), "staff"),
        ],
    ),
    NavGroup(
        "reports",
        _("Reports"),
        [NavItem("reports:dashboard", _("Reports"), "reporter"), NavItem("reports:audit", _("Audit log"), "staff")],
    ),
]


def _resolve(items: list[NavItem]) -> list[dict[str, Any]]:
    resolved = []
    for item in items:
        try:
            resolved.append({"url": reverse(item.url_name), "label": item.label, "audience": item.audience})
        except NoReverseMatch:
            continue
    return resolved


# nav_for's answers, per process: the links depend only on the viewer's audiences, the URLconf and
# the lists above (which apps may append to, hence their lengths in the key); labels stay lazy, so
# one answer serves every language.
_NAV_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}


def _forget_nav(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _NAV_CACHE.clear()


setting_changed.connect(_forget_nav)


def nav_for(scope: Any) -> dict[str, Any]:
    """The viewer's links: public ones, their own ("mine") and management groups (empty groups dropped).

    Computed once per process for each kind of viewer; the answer is shared, so read it, never change it."""
    allowed = {"public"}
    if scope.is_staff:
        allowed |= {"staff", "manager", "reporter", "focal_point", "reviewer", "delegate"}
    if scope.is_partner:
        allowed |= {"manager", "reporter", "nominator", "delegate"}  # delegate: observer delegations
    if scope.is_focal_point:
        allowed |= {"focal_point", "reporter", "nominator", "delegate"}
    if scope.is_reviewer:
        allowed |= {"reviewer"}
    audiences: frozenset[str] = frozenset()
    if scope.user_id:
        audiences = frozenset({"user"} | ({"person"} if scope.person_id else set()))
        audiences |= {"partner"} if scope.is_partner or scope.is_staff else set()
    key = (
        frozenset(allowed),
        bool(scope.user_id),
        audiences,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        len(PUBLIC_NAV),
        len(MY_NAV),
        tuple(len(group.items) for group in MANAGE_NAV),
    )
    nav = _NAV_CACHE.get(key)
    if nav is None:
        nav = _NAV_CACHE[key] = _nav(allowed, bool(scope.user_id), audiences)
    return nav


def _nav(allowed: set[str], signed_in: bool, audiences: frozenset[str]) -> dict[str, Any]:
    groups, seen = [], set()
    for group in MANAGE_NAV:
        links = []
        for item in _resolve([i for i in group.items if i.audience in allowed]):
            if item["url"] not in seen:
                links.append(item)
                seen.add(item["url"])
        if links:
            groups.append({"key": group.key, "label": group.label, "items": links})
    mine = [i for i in _resolve(MY_NAV) if i["audience"] in audiences] if signed_in else []
    # "_html": the header's menu parts rendered for these links, per language (core/templatetags/menu.py).
    return {"public": _resolve(PUBLIC_NAV), "manage": groups, "mine": mine, "_html": {}}
