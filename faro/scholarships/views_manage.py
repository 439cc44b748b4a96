"""Running a call: staff (and partner coordinators of its programmes) edit, advance, assign
reviewers, preview the allocation, override outcomes and publish."""

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.accounts.usertypes import AuthenticatedRequest
from faro.core.models import AuditEntry
from faro.core.pagination import paginate
from faro.courses.models import Offering
from faro.directory.models import MemberState
from faro.lib import cells
from faro.scholarships import services
from faro.scholarships.forms import AssignReviewerForm, CallForm, OverrideForm
from faro.scholarships.models import Application, Call, Offer, Outcome
from faro.scholarships.services import ScholarshipError
from faro.scholarships.services.allocation_outcomes import outcome_reason
from faro.scholarships.views import _back_to_page, _error


def _call(request: HttpRequest, pk: int) -> Call:
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_partner):
        raise Http404
    return get_object_or_404(Call.objects.managed_by(request.user), pk=pk)


@login_required
def manage_calls(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_partner):
        raise Http404
    page = paginate(request, Call.objects.managed_by(request.user))
    return render(request, "scholarships/manage/calls.html", {"calls": page["page_obj"], **page})


@login_required
def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    call = _call(request, pk) if pk else None
    if call is None and not scope_for(request.user).is_staff:
        raise Http404
    form = CallForm(request.POST or None, instance=call, offerings=Offering.objects.managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        if call:
            services.update_call(call, acting_user=request.user, **form.cleaned_data)
        else:
            call = services.create_call(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Call saved."))
        return redirect("scholarships:manage_call", call.pk)
    return render(request, "scholarships/manage/call_form.html", {"form": form, "call": call})


@login_required
def manage_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's stage and actions, with one page of its outcomes (after allocation) or of its reviews."""
    call = _call(request, pk)
    outcomes = Outcome.objects.filter(application__call=call)
    awarded = outcomes.filter(result=Outcome.Result.AWARDED)
    submitted = call.applications.filter(status=Application.Status.SUBMITTED)
    has_outcomes = outcomes.exists()
    if has_outcomes:
        page = paginate(request, outcomes.select_related("application__person__member_state", "offering__course"))
        for outcome in page["page_obj"]:
            outcome.reason_text = outcome_reason(outcome)
    else:
        page = paginate(request, submitted.select_related("person__member_state").prefetch_related("reviews"))
    context = {
        "call": call,
        "rows": page["page_obj"],
        "outcomes": has_outcomes,
        "statuses": _labelled(_counted(call.applications.all()), Application.Status),
        # Awards are outcomes: with none, there is nothing to count.
        "awarded": awarded.count() if has_outcomes else 0,
        "awarded_states": (
            awarded.order_by().values("application__person__member_state").distinct().count() if has_outcomes else 0
        ),
        # Offers are made from outcomes (and shown with them): with none, there are none.
        "offers": _labelled(_counted(Offer.objects.filter(application__call=call)), Offer.Status)
        if has_outcomes
        else [],
        "endorsement": _endorsement_by_state(call),
        "history": AuditEntry.objects.for_object(call)[:50],
        "incomplete": call.applications.review_incomplete().count() if call.status == Call.Status.REVIEW else 0,
        **page,
    }
    if call.status == Call.Status.REVIEW and not has_outcomes:  # the review table: one select per row
        # The same options in every row's select (those `assign_reviewer` accepts, in their id order):
        # rendered once for the page.
        options = render_to_string(
            "scholarships/manage/_reviewer_options.html", {"reviewers": services.reviewers(call)}
        )
        context["review_rows"] = _review_rows(request, page["page_obj"], mark_safe(options))
    return render(request, "scholarships/manage/call.html", context)


def _review_rows(request: HttpRequest, page_obj: Any, options: SafeString) -> SafeString:
    """The review table's rows as `call.html` used to write them in its loop, written here (the cells
    escaped as the engine escapes them, `faro.lib.cells`); each row's form posts with the page's token."""
    token = csrf_input(request)
    number, reviewer, assign = cells.text(page_obj.number), cells.text(_("Reviewer")), cells.text(_("Assign"))
    rows = []
    for application in page_obj:
        pk, person = cells.text(application.pk), application.person
        file_url = reverse("scholarships:application_file", args=[application.pk])
        assign_url = reverse("scholarships:reviewer_assign", args=[application.pk])
        rows.append(
            "<tr>\n    <td>\n"
            f'      <a href="{cells.text(file_url)}">'
            f"{cells.text(person)}</a> ({cells.or_dash(person.member_state)})\n    </td>\n"
            f"    <td>{cells.text(len(application.reviews.all()))}</td>\n"
            f"    <td>{cells.or_dash(application.merit)}</td>\n"
            "    <td>\n"
            f'      <form method="post" action="{cells.text(assign_url)}">\n'
            f"        {token}\n"
            f'        <input type="hidden" name="page" value="{number}">\n'
            f'        <label for="reviewer-{pk}">{reviewer}</label>\n'
            f'      <select id="reviewer-{pk}" name="reviewer">{options}</select>\n'
            f'      <button type="submit" class="secondary">{assign}</button></form></td>\n'
            "  </tr>"
        )
    return mark_safe("".join(rows))


def _endorsement_by_state(call: Call) -> list[dict[str, Any]]:
    """Endorsement progress per member state, while focal points are endorsing (and after, for the record)."""
    if not call.requires_endorsement or call.status in {Call.Status.DRAFT, Call.Status.OPEN}:
        return []
    rows = call.applications.endorsement_by_state()
    states = MemberState.objects.in_bulk([row["person__member_state"] for row in rows if row["person__member_state"]])
    mailed: dict[int, Any] = {}
    for notice in call.endorsement_notices.order_by("sent_at"):
        mailed[notice.member_state_id] = notice  # the latest: opened, then the reminder
    for row in rows:
        row["state"] = states.get(row["person__member_state"])
        row["mailed"] = mailed.get(row["person__member_state"])
    return rows


def _counted(rows: Any) -> Counter[str]:
    """How many rows have each status, counted in the database."""
    return Counter(dict(rows.order_by().values_list("status").annotate(n=Count("pk"))))


def _labelled(counts: Counter[str], choices: Any) -> list[tuple[str, int]]:
    labels = dict(choices.choices)
    return [(str(labels.get(key, key)), n) for key, n in sorted(counts.items())]


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    call = _call(request, pk)
    if action == "advance" and call.status == Call.Status.REVIEW:
        return redirect("scholarships:call_move_to_allocation", call.pk)  # shows the review gaps first
    if action == "publish":
        return redirect("scholarships:results_publish", call.pk)  # shows what publishing would do first
    try:
        if action == "advance":
            services.advance_call(call, acting_user=request.user)
            messages.success(request, _("The call is now: %(status)s.") % {"status": call.get_status_display()})
        elif action == "assign":
            count = services.assign_reviewers_automatically(call, acting_user=request.user)
            messages.success(request, _("%(n)s review assignments made.") % {"n": count})
        elif action == "allocate":
            services.preview_allocation(call, acting_user=request.user)
            messages.success(request, _("Allocation preview ready. Check it, then publish."))
    except ScholarshipError as error:
        _error(request, error)
    return redirect("scholarships:manage_call", call.pk)


@login_required
@require_POST
def call_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in {"advance", "assign", "allocate", "publish"}:
        raise Http404
    return _act(request, pk, action)


def _reviewers(call: Call) -> Any:
    """The reviewers who may be given this call's applications (their role in force, for it)."""
    return User.objects.filter(pk__in=[r.pk for r in services.reviewers(call)])


@login_required
@require_POST
def assign_reviewer(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    _call(request, application.call_id)
    form = AssignReviewerForm(request.POST, reviewers=_reviewers(application.call))
    if form.is_valid():
        try:
            services.assign_reviewer(application, form.cleaned_data["reviewer"], acting_user=request.user)
            messages.success(request, _("Reviewer assigned."))
        except ScholarshipError as error:
            _error(request, error)
    return _back_to_page(request, "scholarships:manage_call", application.call_id)


@login_required
def outcome_override(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("application__call", "application__person"), pk=pk)
    call = _call(request, outcome.application.call_id)
    offerings = call.offerings.filter(pk__in=outcome.application.choices.values("offering"))
    form = OverrideForm(
        request.POST or None, offerings=offerings, initial={"result": outcome.result, "offering": outcome.offering_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.override_outcome(outcome, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Outcome changed."))
            return redirect("scholarships:manage_call", call.pk)
        except ScholarshipError as error:
            _error(request, error)
    return render(
        request,
        "scholarships/manage/override.html",
        {"form": form, "outcome": outcome, "reason": outcome_reason(outcome)},
    )
