"""National focal points endorse and rank; reviewers score. Each sees only what their scope allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.scope import scope_for
from faro.core.fetch import get_for_user_or_404
from faro.core.pagination import paginate
from faro.directory.models import MemberState
from faro.lib.uploads import private_download
from faro.scholarships import services
from faro.scholarships.forms import EndorseForm, RankForm, ReviewForm
from faro.scholarships.models import Application, ApplicationDocument, Call, Review
from faro.scholarships.services import ScholarshipError
from faro.scholarships.views import _back_to_page, _error


def _states(request: HttpRequest) -> list[MemberState]:
    scope = scope_for(request.user)
    if not (scope.is_focal_point or scope.is_staff):
        raise Http404
    states = MemberState.objects.all()
    return list(states if scope.is_staff and not scope.is_focal_point else states.filter(pk__in=scope.member_state_ids))


@login_required
def endorsements(request: HttpRequest) -> HttpResponse:
    _states(request)
    open_calls = Call.objects.filter(requires_endorsement=True, status__in=["closed", "endorsement"])
    page = paginate(request, open_calls)
    return render(request, "scholarships/endorsements.html", {"calls": page["page_obj"], **page})


@login_required
def endorse_call(request: HttpRequest, pk: int) -> HttpResponse:
    """One page of the call's submitted applications, by member state, and each state's ranking form."""
    states = _states(request)
    call = get_for_user_or_404(Call, request.user, pk=pk, requires_endorsement=True)  # not a draft's title
    visible = Application.objects.for_user(request.user).filter(
        call=call, status="submitted", person__member_state__in=states
    )
    page = paginate(
        request,
        visible.select_related("person__institution")
        .prefetch_related("documents")
        .order_by("person__member_state", "pk"),
    )
    endorsed = sorted(
        visible.filter(endorsement="endorsed").select_related("person"), key=lambda a: (a.endorsement_rank or 999, a.pk)
    )
    groups = []
    for state in states:
        mine = [a for a in page["page_obj"] if a.person.member_state_id == state.pk]
        ranked = [a for a in endorsed if a.person.member_state_id == state.pk]
        if mine or ranked:
            groups.append({"state": state, "applications": mine, "rank_form": RankForm(applications=ranked)})
    context = {"call": call, "groups": groups, "form": EndorseForm(), **page}
    return render(request, "scholarships/endorse_call.html", context)


@login_required
@require_POST
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    states = _states(request)
    application = get_for_user_or_404(Application, request.user, pk=pk, person__member_state__in=states)
    form = EndorseForm(request.POST)
    if form.is_valid():
        try:
            services.endorse_application(
                application,
                acting_user=request.user,
                endorse=form.cleaned_data["decision"] == "endorse",
                reason=form.cleaned_data["reason"],
                expected=form.cleaned_data["seen"] or None,
            )
            messages.success(request, _("Decision recorded for %(name)s.") % {"name": application.person})
        except ScholarshipError as error:
            _error(request, error)
    else:
        messages.error(request, _("Choose endorse or do not endorse."))
    return _back_to_page(request, "scholarships:call_endorsements", application.call_id)


@login_required
@require_POST
def rank(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    states = {s.code: s for s in _states(request)}
    if state not in states:
        raise Http404
    call = get_for_user_or_404(Call, request.user, pk=pk, requires_endorsement=True)  # not a draft's title
    endorsed = list(
        call.applications.filter(person__member_state=states[state], endorsement="endorsed").select_related("person")
    )
    form = RankForm(request.POST, applications=endorsed)
    if form.is_valid():
        try:
            services.rank_endorsed(call, states[state], acting_user=request.user, order=form.order())
            messages.success(request, _("Ranking saved."))
        except ScholarshipError as error:
            _error(request, error)
    else:
        for message in form.non_field_errors() or [_("Give each application a rank.")]:
            messages.error(request, str(message))
    return redirect("scholarships:call_endorsements", call.pk)


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_reviewer or scope.is_staff):
        raise Http404
    reviews = Review.objects.filter(reviewer_id=request.user.pk).select_related(
        "application__person__member_state", "application__call"
    )
    page = paginate(request, reviews)
    return render(request, "scholarships/my_reviews.html", {"reviews": page["page_obj"], **page})


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.select_related("application__call", "application__person"), pk=pk, reviewer_id=request.user.pk
    )
    call = review.application.call
    initial = {f"c{k}": v for k, v in review.scores.items()} | {"comment": review.comment}
    form = ReviewForm(request.POST or None, call=call, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_review(
                review, acting_user=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Review submitted."))
            return redirect("scholarships:review", review.pk)
        except ScholarshipError as error:
            _error(request, error)
    # Others' scores only once this reviewer has submitted their own.
    others = (
        review.application.reviews.exclude(pk=review.pk).filter(submitted_at__isnull=False)
        if review.submitted_at
        else None
    )
    context = {
        "review": review,
        "application": review.application,
        "form": form,
        "others": others,
        "documents": review.application.documents.all(),
        "choices": review.application.choices.select_related("offering__course"),
    }
    return render(request, "scholarships/review.html", context)


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded document, for whoever may see its application."""
    document = get_object_or_404(ApplicationDocument, pk=pk)
    get_for_user_or_404(Application, request.user, pk=document.application_id)
    return private_download(document.file.open("rb"), name=document.kind)
