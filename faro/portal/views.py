"""Public pages: home, news, calendar, catalogue and feeds; a person's own preferences and data."""

import datetime
import json
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from faro.core.fetch import get_for_user_or_404
from faro.directory.models import Person, PriorityArea
from faro.lib.collation import language_choices, sorted_by_name
from faro.lib.text import fold
from faro.portal import activity_queries as activities
from faro.portal.activity_sources import KIND_LABELS, sources
from faro.portal.feeds import feed_links, ics_response
from faro.portal.forms import ProfileForm
from faro.portal.models import CalendarToken, ConsentRecord, Mailing, NewsPost
from faro.portal.services import (
    PRIVACY_NOTICE_VERSION,
    calendar_token_for,
    profile_for,
    renew_calendar_token,
    update_profile,
)
from faro.portal.services.mailings import read_unsubscribe_token, unsubscribe_person
from faro.portal.services.privacy import (
    ErasureRefused,
    erase_person,
    erasure_blockers,
    export_person_data,
    retention_rules,
)

HOME_ACTIVITIES = 6
HOME_NEWS = 3


def home(request: HttpRequest) -> HttpResponse:
    """What Faro is, what is coming up and the latest news."""
    context = {
        "upcoming": activities.upcoming_activities(limit=HOME_ACTIVITIES),
        "news": NewsPost.objects.published()[:HOME_NEWS],
        "feeds": feed_links(request),
    }
    return render(request, "portal/home.html", context)


def news_list(request: HttpRequest) -> HttpResponse:
    """Published posts, newest first, with accent- and case-insensitive search."""
    posts = list(NewsPost.objects.for_user(request.user).published())
    query = request.GET.get("q", "")[:100].strip()
    if words := fold(query).split():
        posts = [post for post in posts if all(word in post.search_text() for word in words)]
    context = {"q": query, "feeds": feed_links(request), **_page(request, posts, per_page=10)}
    return render(request, "portal/news_list.html", context)


def _page(request: HttpRequest, items: list[Any], *, per_page: int) -> dict[str, Any]:
    """One page of `items` and the query string that keeps the filters (for core/_pagination.html)."""
    params = request.GET.copy()
    params.pop("page", None)
    page_obj = Paginator(items, per_page).get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "query": params.urlencode() + "&" if params else ""}


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_for_user_or_404(NewsPost, request.user, slug=slug)
    return render(request, "portal/news_detail.html", {"post": post, "feeds": feed_links(request)})


def _filter_context(request: HttpRequest, kinds: list[str]) -> dict[str, Any]:
    filters = activities.ActivityFilter.from_query(request.GET, kinds=kinds)
    return {
        "filters": filters,
        "areas": activities.current_priority_areas(),
        "topics": activities.topic_choices(),
        "kinds": sorted_by_name(((k, str(KIND_LABELS[k])) for k in kinds), lambda kind: kind[1]),
        "language_options": language_choices(),
        "feeds": feed_links(request),
    }


def calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming calls, course offerings, webinars and meetings, filtered without JavaScript."""
    context = _filter_context(request, activities.CALENDAR_KINDS)
    context["activities"] = activities.upcoming_activities(filters=context["filters"])
    context.update(_month_context(request, context["activities"]))
    context["area_feeds"] = [
        (a, request.build_absolute_uri(reverse("portal:area_ics", kwargs={"pk": a.pk}))) for a in context["areas"]
    ]
    return render(request, "portal/calendar.html", context)


def _month_context(request: HttpRequest, found: list[Any]) -> dict[str, Any]:
    """The month view beside the list: ?month=YYYY-MM, with links to the months before and after."""
    first = activities.parse_month(request.GET.get("month"), timezone.localdate())
    before, after = first - datetime.timedelta(days=1), first + datetime.timedelta(days=32)
    params = request.GET.copy()
    links = {}
    for name, day in (("previous", before), ("next", after)):
        params["month"] = day.strftime("%Y-%m")
        links[f"{name}_month"] = (day.replace(day=1), "?" + params.urlencode())
    weekdays = [WEEKDAYS_ABBR[n] for n in range(7)]
    return {"month": first, "weeks": activities.month_weeks(found, first), "weekdays": weekdays, **links}


def catalogue(request: HttpRequest) -> HttpResponse:
    """Every public course, call, webinar and meeting, searchable in the four languages."""
    context = _filter_context(request, activities.CATALOGUE_KINDS)
    results = activities.search_catalogue(context["filters"])
    context.update(_page(request, results, per_page=20), count=len(results))
    return render(request, "portal/catalogue.html", context)


def calendar_ics(request: HttpRequest) -> HttpResponse:
    return ics_response(activities.upcoming_activities(), name=_("CIP calendar"), filename="cip-calendar.ics")


def area_ics(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(PriorityArea, pk=pk)
    found = activities.upcoming_activities(filters=activities.ActivityFilter(area=area.pk))
    return ics_response(found, name=_("CIP calendar: %(area)s") % {"area": area}, filename=f"cip-area-{pk}.ics")


def personal_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own registrations, at an address only they know."""
    person = get_object_or_404(CalendarToken.objects.select_related("person"), token=token).person
    found = [a for source in sources() for a in source.registrations(person)]
    return ics_response(found, name=_("My CIP activities"), filename="my-cip-activities.ics")


@csrf_exempt  # mail clients POST here without a session (RFC 8058 one-click unsubscribe)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe); POST unsubscribes at once."""
    found = read_unsubscribe_token(token)
    person = Person.objects.filter(pk=found[0]).first() if found else None
    if found is None or person is None:
        return render(request, "portal/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        mailing = Mailing.objects.filter(pk=found[1]).first() if found[1] else None
        unsubscribe_person(person, mailing=mailing, source="link")
        done = True
    return render(request, "portal/unsubscribe.html", {"done": done, "token": token})


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """Who is responsible, whom to write to, and the retention periods the scheduled job applies."""
    contact = getattr(settings, "FARO_PRIVACY_CONTACT", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    context = {"version": PRIVACY_NOTICE_VERSION, "contact": contact, "rules": retention_rules()}
    return render(request, "portal/privacy.html", context)


def _my_person(request: HttpRequest) -> Person:
    person: Person | None = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return person


@login_required
def my_preferences(request: HttpRequest) -> HttpResponse:
    """A person's interests, languages and what they want to be told about."""
    person = _my_person(request)
    profile = profile_for(person)
    initial = {
        "priority_areas": profile.priority_areas.all(),
        "topics": list(profile.topics.values_list("slug", flat=True)),
        "languages": profile.languages,
        "wants": profile.wants,
        "mailings_consent": profile.unsubscribed_at is None,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update_profile(
            person,
            acting_user=request.user,
            priority_areas=list(data["priority_areas"]),
            topics=form.topic_objects(),
            languages=data["languages"],
            wants=data["wants"],
            mailings_consent=data["mailings_consent"],
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("portal:my_preferences")
    return render(request, "portal/my_preferences.html", {"form": form})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """The person's privacy page: consent history, calendar feed, download and erasure."""
    person = _my_person(request)
    feed = request.build_absolute_uri(
        reverse("portal:personal_ics", kwargs={"token": calendar_token_for(person).token})
    )
    context = {
        "consents": ConsentRecord.objects.filter(person=person),
        "personal_feed": feed,
        "blockers": erasure_blockers(person),
    }
    return render(request, "portal/my_data.html", context)


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    data = export_person_data(_my_person(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-faro-data.json"'
    return response


@login_required
@require_POST
def my_calendar_renew(request: HttpRequest) -> HttpResponse:
    renew_calendar_token(_my_person(request), acting_user=request.user)
    messages.success(request, _("Your private calendar has a new address; the old one no longer works."))
    return redirect("portal:my_data")


@login_required
@require_POST
def my_data_erase(request: HttpRequest) -> HttpResponse:
    """Erase oneself on request, or explain why not yet."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want your personal data erased."))
        return redirect("portal:my_data")
    try:
        erase_person(_my_person(request), acting_user=request.user)
    except ErasureRefused as refused:
        messages.error(
            request, _("Your data cannot be erased yet: %(reasons)s") % {"reasons": "; ".join(refused.reasons)}
        )
        return redirect("portal:my_data")
    logout(request)
    messages.success(request, _("Your personal data has been erased."))
    return redirect("portal:home")
