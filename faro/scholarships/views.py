"""Public call pages, the applicant's own applications and the offer link."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from faro.core.fetch import get_for_user_or_404
from faro.core.pagination import paginate
from faro.directory.models import Person
from faro.lib.wording import agreeing
from faro.scholarships import services
from faro.scholarships.forms import ApplicationForm, DocumentForm
from faro.scholarships.models import Application, Call
from faro.scholarships.services import ScholarshipError, offer_from_token, outcome_reason


def _error(request: HttpRequest, error: ScholarshipError) -> None:
    for message in error.messages:
        messages.error(request, str(message))


def _back_to_page(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Back to the list page the form was posted from (its `page` field), so the official keeps their place."""
    page = request.POST.get("page", "")
    url = reverse(name, args=[pk])
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


def _person_id(request: HttpRequest) -> int:
    """The signed-in user's person id (0 when the account has no person: matches nothing)."""
    return getattr(request.user, "person_id", None) or 0


def calls(request: HttpRequest) -> HttpResponse:
    visible = Call.objects.for_user(request.user).prefetch_related("offerings__course")
    page = paginate(request, visible)
    return render(request, "scholarships/calls.html", {"calls": page["page_obj"], **page})


def call(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_for_user_or_404(Call, request.user, pk=pk)
    mine = None
    if _person_id(request):
        mine = call.applications.filter(person_id=_person_id(request)).first()
    offerings = call.offerings.select_related("course__provider")
    return render(request, "scholarships/call.html", {"call": call, "offerings": offerings, "mine": mine})


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_for_user_or_404(Call, request.user, pk=pk)
    person = getattr(request.user, "person", None)
    if person is None:
        messages.error(request, _("Your account is not linked to a person profile; contact the Secretariat."))
        return redirect(call)
    try:
        application = services.start_application(call, person, acting_user=request.user)
    except ScholarshipError as error:
        _error(request, error)
        return redirect(call)
    return redirect(application)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    mine = (
        Application.objects.filter(person_id=_person_id(request))
        .select_related("call", "outcome")
        .prefetch_related("offers__offering__course")
        .order_by("-call__opens_at", "-pk")
    )
    page = paginate(request, mine)
    return render(request, "scholarships/my_applications.html", {"applications": page["page_obj"], **page})


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    mine = Application.objects.own(request.user).select_related("call", "person").with_document_kinds()
    application = get_object_or_404(mine, pk=pk)
    offerings = services.choosable_offerings(application)
    initial = {"motivation": application.motivation, "spoken_languages": application.spoken_languages}
    initial.update({f"choice_{o.rank}": str(o.pk) for o in offerings if o.rank})  # type: ignore[attr-defined]  # annotated
    form = ApplicationForm(request.POST or None, offerings=offerings, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft = services.Draft(
            motivation=form.cleaned_data["motivation"],
            offerings=form.ranked_offerings(),
            spoken_languages=form.cleaned_data["spoken_languages"],
            shown=offerings,
        )
        try:
            if "submit" in request.POST:
                services.submit_application(application, acting_user=request.user, draft=draft)
                return redirect(f"{application.get_absolute_url()}?submitted=1")  # the page says so: no session write
            services.save_application(application, acting_user=request.user, **services.draft_fields(draft))
            messages.success(request, _("Draft saved."))
            return redirect(application)
        except ScholarshipError as error:
            _error(request, error)
    context = _application_context(application, form)
    context["just_submitted"] = "submitted" in request.GET and application.is_submitted
    return render(request, "scholarships/application.html", context)


def _application_context(application: Application, form: ApplicationForm) -> dict[str, Any]:
    outcome = (
        getattr(application, "outcome", None) if application.call.status in {"results_published", "finished"} else None
    )
    return {
        "application": application,
        "form": form,
        "document_form": DocumentForm(),
        "documents": application.documents.all(),
        "required": application.required_documents(),
        "missing": application.missing(),
        "outcome": outcome,
        "reason": outcome_reason(outcome) if outcome else "",
        "offers": application.offers.select_related("offering__course"),
        "choices": application.choices.select_related("offering__course"),
    }


@login_required
@require_POST
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_for_user_or_404(Application, request.user, pk=pk, person_id=_person_id(request))
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(application)
    try:
        services.attach_document(
            application, form.cleaned_data["kind"], form.cleaned_data["file"], acting_user=request.user
        )
        messages.success(request, _("Document uploaded."))
    except ScholarshipError as error:
        _error(request, error)
    return redirect(application)


@login_required
@require_POST
def remove_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = get_for_user_or_404(Application, request.user, pk=pk, person_id=_person_id(request))
    document = get_object_or_404(application.documents, pk=document_pk)
    try:
        services.remove_document(document, acting_user=request.user)
        messages.success(request, _("Document removed. You can upload the right one now."))
    except ScholarshipError as error:
        _error(request, error)
    return redirect(application)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that says what withdrawing means; its form (confirm=yes) withdraws."""
    application = get_for_user_or_404(Application, request.user, pk=pk, person_id=_person_id(request))
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(request, "scholarships/withdraw.html", {"application": application})
    try:
        services.withdraw_application(application, acting_user=request.user)
        messages.success(request, _("Your application has been withdrawn."))
    except ScholarshipError as error:
        _error(request, error)
    return redirect(application)


def _accepted(person: Person) -> str:
    return agreeing(
        person,
        woman=pgettext("woman", "You have accepted the scholarship. Welcome!"),
        man=pgettext("man", "You have accepted the scholarship. Welcome!"),
        neutral=_("You have accepted the scholarship. Welcome!"),
    )


def offer(request: HttpRequest, token: str) -> HttpResponse:
    """Accept or decline from the signed link in the offer mail (no login needed)."""
    offer = offer_from_token(token)
    if offer is None:
        raise Http404
    if request.method == "POST":
        actor = request.user if request.user.is_authenticated else None
        try:
            if request.POST.get("answer") == "accept":
                services.accept_offer(offer, acting_user=actor)
                messages.success(request, _accepted(offer.application.person))
            elif request.POST.get("answer") == "decline":
                services.decline_offer(offer, acting_user=actor)
                messages.success(request, _("You have declined the scholarship."))
        except ScholarshipError as error:
            _error(request, error)
        return redirect("scholarships:offer", token)
    return render(request, "scholarships/offer.html", {"offer": offer, "token": token})
