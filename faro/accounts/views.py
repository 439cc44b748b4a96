from typing import cast

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from faro.accounts.models import RoleAssignment, User
from faro.accounts.scope import scope_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: roles, and links to what they can do."""
    roles = RoleAssignment.objects.filter(user=cast(User, request.user)).select_related("institution", "member_state")
    return render(request, "accounts/me.html", {"roles": roles, "my_scope": scope_for(request.user)})
