"""What staff (and the partner running a call) see before they decide: an applicant's whole file,
the review gaps before moving a call to allocation, and what publishing the results would do.

Each decision is a page with a form (no JavaScript); the POST runs the service, so a forged POST
without the CSRF token is refused like any other."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from faro.accounts.scope import scope_for
from faro.core.models import AuditEntry
from faro.scholarships import services
from faro.scholarships.models import Application, Call
from faro.scholarships.services import IncompleteReview, ScholarshipError
from faro.scholarships.views import _error
from faro.scholarships.views_manage import _call


def _managed_application(request: HttpRequest, pk: int) -> Application:
    """An application of a call the user runs (staff: any; partners: their programmes'), else 404."""
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_partner):
        raise Http404
    calls = Call.objects.managed_by(request.user)
    return get_object_or_404(
        Application.objects.filter(call__in=calls).select_related(
            "call", "person__member_state", "person__institution"
        ),
        pk=pk,
    )


@login_required
def application_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's whole file: answers, documents, endorsement and rank, reviews, outcome, history."""
    application = _managed_application(request, pk)
    criteria = {str(c.pk): c for c in application.call.criteria.all()}
    reviews = [
        (review, [(criteria[key].name if key in criteria else key, score) for key, score in review.scores.items()])
        for review in application.reviews.select_related("reviewer").order_by("pk")
    ]
    outcome = getattr(application, "outcome", None)
    context = {
        "application": application,
        "call": application.call,
        "choices": application.choices.select_related("offering__course"),
        "documents": application.documents.all(),
        "missing": application.missing() if application.status == Application.Status.DRAFT else [],
        "reviews": reviews,
        "outcome": outcome,
        "reason": services.outcome_reason(outcome) if outcome else "",
        "offers": application.offers.select_related("offering__course"),
        "history": AuditEntry.objects.for_object(application)[:100],
    }
    return render(request, "scholarships/manage/application_file.html", context)


@login_required
def move_to_allocation(request: HttpRequest, pk: int) -> HttpResponse:
    """From review to allocation: the applications still lacking reviews, and an explicit confirmation."""
    call = _call(request, pk)
    if call.status != Call.Status.REVIEW:
        return redirect("scholarships:manage_call", call.pk)
    if request.method == "POST":
        confirmed = [int(value) for value in request.POST.getlist("incomplete") if value.isdigit()]
        try:
            services.advance_call(call, acting_user=request.user, confirm_incomplete=confirmed)
            messages.success(request, _("The call is now: %(status)s.") % {"status": call.get_status_display()})
            return redirect("scholarships:manage_call", call.pk)
        except IncompleteReview:
            messages.error(request, _("More applications lack reviews than the page showed: check them again."))
        except ScholarshipError as error:
            _error(request, error)
    gaps = services.review_gaps(call)
    return render(request, "scholarships/manage/move_to_allocation.html", {"call": call, "gaps": gaps})


@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """What publishing would do — outcomes, member states, each group's mail — and the button."""
    call = _call(request, pk)
    if request.method == "POST":
        try:
            count = services.publish_results(call, acting_user=request.user)
            messages.success(request, _("Results published: %(n)s offers sent.") % {"n": count})
        except ScholarshipError as error:
            _error(request, error)
        return redirect("scholarships:manage_call", call.pk)
    if call.status != Call.Status.ALLOCATION:
        messages.error(request, _("The results of this call are already published: nothing was sent again."))
        return redirect("scholarships:manage_call", call.pk)
    preview = services.results_preview(call)
    return render(request, "scholarships/manage/publish.html", {"call": call, "preview": preview})
