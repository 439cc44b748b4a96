"""Faro's account pages. Sign-in, sign-up, codes, password and two-factor pages are allauth's
(`allauth.urls`, mounted beside these under /accounts/); the names below are Faro's handles on them."""

from allauth.account import views as allauth_views
from django.urls import path
from django.views.generic import RedirectView

from faro.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("signup/", allauth_views.signup, name="signup"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("me/", views.me, name="me"),
    path("me/details/", views.details, name="details"),
    path("welcome/", views.complete_profile, name="complete_profile"),
    path("two-factor/", RedirectView.as_view(pattern_name="mfa_index"), name="two_factor"),
    # Addresses of the pages before allauth, kept so old links and bookmarks still work.
    path("password-reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("language/", views.set_language, name="set_language"),
]
