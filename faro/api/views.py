"""The user's API tokens and a partner's webhook subscriptions (web pages)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import AuthenticatedRequest
from faro.api import services
from faro.api.forms import SubscriptionForm, TokenForm
from faro.api.models import ApiToken, WebhookSubscription
from faro.core.fetch import get_for_user_or_404
from faro.directory.models import Institution


@login_required
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """List, create (shown once) and revoke one's personal API tokens."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            datetime.datetime.combine(expires_on, datetime.time.max, tzinfo=datetime.UTC) if expires_on else None
        )
        _token, new_token = services.create_api_token(
            request.user,
            acting_user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=expires_at,
        )
        form = TokenForm()
    context = {"form": form, "new_token": new_token, "tokens": ApiToken.objects.for_user(request.user)}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_for_user_or_404(ApiToken, request.user, pk=pk)
    services.revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("api:tokens")


def _partner_institutions(request: HttpRequest) -> QuerySet[Institution]:
    scope = scope_for(request.user)
    return Institution.objects.all() if scope.is_staff else Institution.objects.filter(pk__in=scope.institution_ids)


@login_required
def webhooks(request: AuthenticatedRequest) -> HttpResponse:
    """A partner's subscriptions with their recent deliveries; subscribe to events."""
    institutions = _partner_institutions(request)
    if not institutions.exists():
        raise Http404
    form = SubscriptionForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        services.create_subscription(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Subscribed. Deliveries are signed with the secret shown below."))
        return redirect("api:webhooks")
    subscriptions = (
        WebhookSubscription.objects.for_user(request.user).filter(is_active=True).select_related("institution")
    )
    return render(request, "api/webhooks.html", {"form": form, "subscriptions": subscriptions})


@login_required
@require_POST
def test_webhook(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_for_user_or_404(WebhookSubscription, request.user, pk=pk)
    delivery = services.send_test_event(subscription, acting_user=request.user)
    delivery.refresh_from_db()
    messages.info(request, _("Test event sent: %(status)s.") % {"status": delivery.get_status_display()})
    return redirect("api:webhooks")


@login_required
@require_POST
def cancel_webhook(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_for_user_or_404(WebhookSubscription, request.user, pk=pk)
    services.cancel_subscription(subscription, acting_user=request.user)
    messages.success(request, _("The subscription was cancelled."))
    return redirect("api:webhooks")


@csrf_exempt  # it writes nothing; a POST to an unknown address must get this JSON 404, not the CSRF page
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any unknown address under /api/v1/ answers the API's JSON error body, not an HTML page."""
    body = {"error": {"status": 404, "code": "not_found", "message": _("Not found."), "fields": {}}}
    return JsonResponse(body, status=404)
