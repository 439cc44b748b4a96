"""Opening an invitation link: sign up (a new address) or sign in and accept (an existing user)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from faro.accounts import invitations
from faro.accounts.forms_manage import AcceptInvitationForm
from faro.accounts.invitations import InvitationProblem
from faro.accounts.models import Invitation, RoleAssignment, User

PROBLEM_STATUS = {"unknown": 404, "other_user": 403}


def _problem(request: HttpRequest, problem: InvitationProblem) -> HttpResponse:
    context = {"message": problem.message, "code": problem.code}
    return render(request, "accounts/invitation_problem.html", context, status=PROBLEM_STATUS.get(problem.code, 410))


def _welcome(request: HttpRequest, role: RoleAssignment) -> HttpResponse:
    """To My page, with a welcome in the language the person chose (the next pages are in it too)."""
    language = role.user.preferred_language or translation.get_language()
    with translation.override(language):
        if role.approval == RoleAssignment.Approval.PENDING:
            text = _("Welcome. Your role, %(role)s, waits for the CIP Secretariat's approval.") % {"role": role.label}
        else:
            text = _("Welcome. You are now %(role)s.") % {"role": role.label}
    messages.success(request, text)
    response = redirect("accounts:me")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
    return response


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = invitations.find_invitation(token)
        signed_in = request.user if request.user.is_authenticated else None
        if signed_in is not None and signed_in.email.lower() != found.email.lower():
            return _problem(request, invitations.other_user_problem(found, signed_in))
        if User.objects.filter(email__iexact=found.email).exists():
            return _accept_existing(request, found, signed_in)
        return _sign_up(request, found)
    except InvitationProblem as problem:
        return _problem(request, problem)


def _accept_existing(request: HttpRequest, found: Invitation, user: User | None) -> HttpResponse:
    if user is None:
        messages.info(request, _("Sign in as %(email)s to accept the invitation.") % {"email": found.email})
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        return _welcome(request, invitations.accept_invitation(found, user=user))
    return render(request, "accounts/invitation_accept.html", {"invitation": found})


def _sign_up(request: HttpRequest, found: Invitation) -> HttpResponse:
    initial = {
        "member_state": found.member_state,
        "institution": found.institution,
        "preferred_language": found.language,
    }
    form = AcceptInvitationForm(request.POST or None, email=found.email, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = invitations.accept_invitation_as_new_user(
            found,
            full_name=data["full_name"],
            member_state=data["member_state"],
            institution=data["institution"],
            position=data["position"],
            preferred_language=data["preferred_language"],
            password=data["password1"],
        )
        auth_login(request, role.user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return _welcome(request, role)
    return render(request, "accounts/invitation_signup.html", {"invitation": found, "form": form})
