"""People & access: staff list accounts, invite people to roles, approve nominations, end roles and
deactivate accounts; partner coordinators and focal points invite within their own scope."""

import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts import invitations, services
from faro.accounts.decorators import staff_required
from faro.accounts.forms_manage import DeactivateForm, EndRoleForm, InvitationForm, PeopleAccessFilterForm, RefuseForm
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.core.fetch import get_for_user_or_404
from faro.core.models import AuditEntry
from faro.core.pagination import paginate

View = Callable[..., HttpResponse]


def inviter_required(view: View) -> View:
    """Staff, partner coordinators and focal points invite; anyone else signed in gets 404."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = scope_for(request.user)
        if not (scope.is_staff or scope.is_partner or scope.is_focal_point):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- People ------------------------------------------------------------------------------------


def _filtered_people(form: PeopleAccessFilterForm) -> QuerySet[User]:
    found = User.objects.select_related("person__member_state", "person__institution").order_by("full_name", "email")
    found = found.prefetch_related(
        Prefetch(
            "roles",
            queryset=RoleAssignment.objects.open().select_related("institution", "member_state", "appointment"),
            to_attr="open_roles",
        )
    )
    if not form.is_valid():
        return found
    data = form.cleaned_data
    for word in data["q"].split():
        names = Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
        found = found.filter(Q(full_name__icontains=word) | Q(email__icontains=word) | names)
    if data["role"]:
        found = found.filter(pk__in=RoleAssignment.objects.in_force().filter(role=data["role"]).values("user"))
    if data["member_state"]:
        in_state = RoleAssignment.objects.open().filter(member_state=data["member_state"]).values("user")
        found = found.filter(Q(person__member_state=data["member_state"]) | Q(pk__in=in_state))
    if data["institution"]:
        at = RoleAssignment.objects.open().filter(institution=data["institution"]).values("user")
        found = found.filter(Q(person__institution=data["institution"]) | Q(pk__in=at))
    return _signed_in(found, *form.signed_in_since())


def _signed_in(found: QuerySet[User], choice: str, since: Any) -> QuerySet[User]:
    if choice == "never":
        return found.filter(last_login__isnull=True)
    if choice == "stale":
        return found.filter(Q(last_login__lt=since) | Q(last_login__isnull=True))
    return found.filter(last_login__gte=since) if since else found


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    """Accounts with their roles and scopes; nominations waiting for approval first."""
    form = PeopleAccessFilterForm(request.GET or None)
    pending = RoleAssignment.objects.pending().select_related("user", "institution", "member_state", "granted_by")
    context = {
        "filters": form,
        "pending": pending,
        "open_invitations": Invitation.objects.open().count(),
        **paginate(request, _filtered_people(form)),
    }
    return render(request, "accounts/manage/people.html", context)


def _history(user: User, sent: QuerySet[Invitation]) -> QuerySet[AuditEntry]:
    about_user = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    invitation_type = ContentType.objects.get_for_model(Invitation)
    about_invitations = Q(
        content_type=invitation_type, object_id__in=[str(pk) for pk in sent.values_list("pk", flat=True)]
    )
    return (
        AuditEntry.objects.filter(about_user | about_invitations).select_related("actor").order_by("-created_at", "-pk")
    )


@staff_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its roles (ended ones too), the invitations to its address and the history."""
    account = get_for_user_or_404(User, request.user, pk=pk)
    roles = account.roles.select_related("institution", "member_state", "appointment", "granted_by").order_by(
        "ends_on", "-starts_on"
    )
    sent = Invitation.objects.filter(email__iexact=account.email).select_related(
        "institution", "member_state", "invited_by"
    )
    context = {"account": account, "roles": roles, "invitations": sent, "history": _history(account, sent)}
    return render(request, "accounts/manage/person.html", context)


# --- Invitations -------------------------------------------------------------------------------


@inviter_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """Staff see every invitation; partners and focal points the ones they sent."""
    found = Invitation.objects.for_user(request.user).select_related("institution", "member_state", "invited_by")
    status = request.GET.get("status", "")
    if status == "open":
        found = found.open()
    elif status in Invitation.Status.values:
        found = found.filter(status=status)
    return render(request, "accounts/manage/invitations.html", {"status": status, **paginate(request, found)})


@inviter_required
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, acting_user=_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _link = invitations.send_invitation(
                form.cleaned_data["email"],
                acting_user=_user(request),
                language=form.cleaned_data.get("language") or "",
                **form.role_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:manage_invitations")
    return render(request, "accounts/manage/invite.html", {"form": form})


def _invitation_action(request: HttpRequest, pk: int, action: Callable[..., Any], done: str) -> HttpResponse:
    invitation = get_for_user_or_404(Invitation, request.user, pk=pk)
    try:
        action(invitation, acting_user=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("accounts:manage_invitations")


@inviter_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, invitations.resend_invitation, _("A new link was sent to %(email)s."))


@inviter_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request, pk, invitations.withdraw_invitation, _("The invitation to %(email)s was withdrawn.")
    )


# --- Roles and accounts ------------------------------------------------------------------------


@staff_required
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then end the role on the chosen day."""
    role = get_for_user_or_404(RoleAssignment, request.user, pk=pk)
    form = EndRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_role(
                role, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"], acting_user=_user(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role was ended."))
            return redirect("accounts:manage_person", role.user_id)
    return render(request, "accounts/manage/role_end.html", {"role": role, "form": form})


@staff_required
@require_POST
def role_approve(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_for_user_or_404(RoleAssignment, request.user, pk=pk)
    try:
        services.approve_role(role, acting_user=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: %(role)s.") % {"role": role})
    return redirect("accounts:manage_people")


@staff_required
@require_POST
def role_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_for_user_or_404(RoleAssignment, request.user, pk=pk)
    form = RefuseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.refuse_role(role, reason=reason, acting_user=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Not approved: %(role)s.") % {"role": role})
    return redirect("accounts:manage_people")


@staff_required
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page saying what will happen, then deactivate the account."""
    account = get_for_user_or_404(User, request.user, pk=pk)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_user(account, reason=form.cleaned_data["reason"], acting_user=_user(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account of %(email)s is deactivated.") % {"email": account.email})
            return redirect("accounts:manage_person", account.pk)
    roles = RoleAssignment.objects.open().filter(user=account).select_related("institution", "member_state")
    return render(request, "accounts/manage/deactivate.html", {"account": account, "form": form, "roles": roles})
