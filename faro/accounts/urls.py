from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from faro.accounts import views, views_invitations, views_manage
from faro.accounts.forms import LocalisedPasswordResetForm

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("language/", views.set_language, name="set_language"),
    path("language/<str:code>/", views.choose_language, name="choose_language"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=LocalisedPasswordResetForm,
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

# People & access (back office) and invitations.
urlpatterns += [
    path("invitation/<str:token>/", views_invitations.invitation, name="invitation"),
    path("manage/people/", views_manage.people, name="manage_people"),
    path("manage/people/<int:pk>/", views_manage.person, name="manage_person"),
    path("manage/people/<int:pk>/deactivate/", views_manage.deactivate, name="manage_deactivate"),
    path("manage/invitations/", views_manage.invitation_list, name="manage_invitations"),
    path("manage/invite/", views_manage.invite, name="manage_invite"),
    path("manage/invitations/<int:pk>/resend/", views_manage.invitation_resend, name="manage_invitation_resend"),
    path("manage/invitations/<int:pk>/withdraw/", views_manage.invitation_withdraw, name="manage_invitation_withdraw"),
    path("manage/roles/<int:pk>/end/", views_manage.role_end, name="manage_role_end"),
    path("manage/roles/<int:pk>/approve/", views_manage.role_approve, name="manage_role_approve"),
    path("manage/roles/<int:pk>/refuse/", views_manage.role_refuse, name="manage_role_refuse"),
]
