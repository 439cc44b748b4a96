"""Public webinar pages: list, detail, registration, the registrant's own page (self-cancel), survey."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.scope import scope_for
from faro.core.ratelimit import client_ip
from faro.lib.ics import ICS_CONTENT_TYPE, calendar_bytes
from faro.lib.prepared import Prepared
from faro.webinars import services
from faro.webinars.emails import calendar_event
from faro.webinars.forms import RegistrationForm, SurveyForm
from faro.webinars.models import Registration, Webinar


def webinar_list(request: HttpRequest) -> HttpResponse:
    """Upcoming webinars first, then past ones with their recordings."""
    public = Webinar.objects.public().prefetch_related("partners")
    upcoming = public.filter(status=Webinar.Status.PUBLISHED, ends_at__gte=timezone.now()).order_by("starts_at")
    past = Paginator(public.exclude(pk__in=upcoming.values("pk")).order_by("-starts_at"), 20)
    page = past.get_page(request.GET.get("page"))
    return render(request, "webinars/list.html", {"upcoming": upcoming, "page": page})


def _own_registration(request: HttpRequest, webinar: Webinar) -> Registration | None:
    person_id = scope_for(request.user).person_id
    if not person_id:
        return None
    return Registration.objects.active().filter(webinar=webinar, person_id=person_id).first()


def webinar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A webinar; the join link only for the viewer's confirmed registration."""
    webinar = get_object_or_404(
        Webinar.objects.visible_to(request.user).prefetch_related("speakers", "partners", "topics"), pk=pk
    )
    registration = _own_registration(request, webinar)
    context = {
        "webinar": webinar,
        "registration": registration,
        "registration_token": services.registration_token(registration) if registration else "",
        "show_join_link": bool(
            registration and registration.is_confirmed and webinar.status == Webinar.Status.PUBLISHED
        ),
        "can_manage": Webinar.objects.managed_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "webinars/detail.html", context)


def _initial(request: HttpRequest) -> dict[str, Any]:
    person = getattr(request.user, "person", None)
    initial: dict[str, Any] = {"language": (get_language() or settings.LANGUAGE_CODE).split("-")[0]}
    if person:
        initial.update(
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            member_state=person.member_state_id,
            position=person.position,
        )
    return initial


REFUSAL_STATUS = {services.RegisteringSomeoneElse: 403, services.TooManyRegistrations: 429}


def _check_caller(request: HttpRequest, webinar: Webinar, email: str) -> None:
    """Signed in: only oneself, unless organising the webinar. Visitors: within the hourly limits."""
    if request.user.is_authenticated:
        services.check_may_register(webinar, user=request.user, email=email)
    else:
        services.check_registration_rate(email=email, client=client_ip(request))


PUBLIC_WEBINAR = Prepared(lambda pk: Webinar.objects.public().filter(pk=pk), 0)  # the crowd's lookup


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The public registration form. A repeated submission lands on the same registration."""
    webinar = PUBLIC_WEBINAR.one(pk)
    if webinar is None:
        raise Http404
    form = RegistrationForm(request.POST or None, webinar=webinar, initial=_initial(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _check_caller(request, webinar, data["email"])
            outcome = services.register_for_webinar(
                webinar,
                acting_user=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                member_state=data["member_state"],
                position=data["position"],
                language=data["language"],
                answers=form.answers(),
                consent=data["consent"],
            )
        except services.WebinarError as error:
            form.add_error("email" if isinstance(error, services.RegisteringSomeoneElse) else None, str(error))
            status = REFUSAL_STATUS.get(type(error), 200)
        else:
            return _after_registration(request, outcome)
    return render(request, "webinars/register.html", {"webinar": webinar, "form": form}, status=status)


def _after_registration(request: HttpRequest, outcome: services.RegistrationOutcome) -> HttpResponse:
    """Only the registrant, signed in as themselves, is shown the registration; anyone else is told to
    check the inbox of the address they typed — the same answer whether it was known or new, so nobody
    learns another person's registration (name, join link, cancel button) from their email address."""
    registration = outcome.registration
    if registration.person_id and registration.person_id == scope_for(request.user).person_id:
        url = reverse("webinars:registration", args=[services.registration_token(registration)])
        return redirect(f"{url}?{'new' if outcome.created else 'again'}=1")  # no session write needed
    if not outcome.created:
        services.resend_registration_link(registration, acting_user=request.user)
    return redirect("webinars:registration_sent", registration.webinar_id)


def registration_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Check your inbox": what everyone who registers without being signed in as the registrant sees."""
    webinar = get_object_or_404(Webinar.objects.public(), pk=pk)
    return render(request, "webinars/registration_sent.html", {"webinar": webinar})


def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page, reached from the link in their mails. A bad link gets a clear page."""
    registration = services.registration_from_token(token)
    if registration is None:
        return render(request, "webinars/bad_link.html", status=404)
    webinar = registration.webinar
    context = {
        "registration": registration,
        "webinar": webinar,
        "token": token,
        "just_registered": "new" in request.GET,
        "registered_again": "again" in request.GET,
        "show_join_link": registration.is_confirmed and webinar.status == Webinar.Status.PUBLISHED,
        "can_cancel": registration.status != Registration.Status.CANCELLED
        and webinar.status == Webinar.Status.PUBLISHED,
    }
    return render(request, "webinars/registration.html", context)


@require_POST
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    """Self-cancel (POST only, so link scanners cannot cancel). Reused or forged links are harmless."""
    registration = services.registration_from_token(token)
    if registration is None:
        return render(request, "webinars/bad_link.html", status=404)
    try:
        services.cancel_registration(registration, acting_user=request.user)
    except services.WebinarError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("webinars:registration", token)


def webinar_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The public calendar entry (without the join link)."""
    webinar = get_object_or_404(Webinar.objects.public(), pk=pk)
    event = calendar_event(webinar, language=get_language() or "en", confirmed=False)
    response = HttpResponse(calendar_bytes([event], name=event.title), content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="webinar-{webinar.pk}.ics"'
    return response


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The satisfaction survey an attendee reaches from their mail."""
    found = services.survey_from_token(token)
    if found is None:
        raise Http404
    webinar, person = found
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratings = {name: form.cleaned_data[name] for name in form.fields if name != "comment"}
        try:
            services.submit_survey_response(
                webinar, person=person, acting_user=request.user, ratings=ratings, comment=form.cleaned_data["comment"]
            )
        except services.WebinarError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "webinars/survey_thanks.html", {"webinar": webinar})
    return render(request, "webinars/survey.html", {"webinar": webinar, "form": form})
