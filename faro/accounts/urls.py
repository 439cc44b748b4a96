"""Faro's account pages. Sign-in, sign-up, codes, password and two-factor pages are allauth's
(`allauth.urls`, mounted beside these under /accounts/); the names below are Faro's handles on them."""

from allauth.account import views as allauth_views
from django.urls import path
from django.views.generic import RedirectView

from faro.accounts import views, views_invitations, views_manage

app_name = "accounts"
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("me/", views.me, name="me"),
    path("me/details/", views.details, name="details"),
    path("welcome/", views.complete_profile, name="profile_complete"),
    path("two-factor/", RedirectView.as_view(pattern_name="mfa_index"), name="two_factor"),
    # Addresses of the pages before allauth, kept so old links and bookmarks still work.
    path("password-reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("reset/<str:uidb64>/<str:token>/", views.earlier_reset_link, name="password_reset_confirm"),
    path("language/", views.set_language, name="language_set"),
    path("language/<str:code>/", views.choose_language, name="language_choose"),
]

# People & access (back office) and invitations.
urlpatterns += [
    path("invitation/<str:token>/", views_invitations.invitation, name="invitation"),
    path("manage/people/", views_manage.people, name="manage_people"),
    path("manage/people/<int:pk>/", views_manage.person, name="manage_person"),
    path("manage/people/<int:pk>/deactivate/", views_manage.deactivate, name="account_deactivate"),
    path("manage/invitations/", views_manage.invitation_list, name="manage_invitations"),
    path("manage/invite/", views_manage.invite, name="invitation_create"),
    path("manage/invitations/<int:pk>/resend/", views_manage.invitation_resend, name="invitation_resend"),
    path("manage/invitations/<int:pk>/withdraw/", views_manage.invitation_withdraw, name="invitation_withdraw"),
    path("manage/roles/<int:pk>/end/", views_manage.role_end, name="role_end"),
    path("manage/roles/<int:pk>/approve/", views_manage.role_approve, name="role_approve"),
    path("manage/roles/<int:pk>/refuse/", views_manage.role_refuse, name="role_refuse"),
]
