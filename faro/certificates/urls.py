"""Certificates sit at the URL root: /verify/…, /.well-known/…, /certificates/…."""

from django.urls import path

from faro.certificates import views, views_manage

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_form, name="verification_form"),
    path("verify/credential/", views.check_credential, name="credential_check"),
    path("verify/<str:code>.jwt", views.verify_jwt, name="certificate_jwt"),
    path("verify/<str:code>.jsonld", views.verify_jsonld, name="certificate_jsonld"),
    path("verify/<str:code>", views.verify, name="certificate_verify"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path(".well-known/did.json", views.did_json, name="did"),
    path("certificates/status/revocation", views.status_list, name="status_list"),
    path("certificates/mine/", views.mine, name="my_certificates"),
    path("certificates/achievements/<str:kind>/<str:ref>", views.achievement, name="achievement"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/manage/", views_manage.manage, name="manage_certificates"),
    path("certificates/manage/templates/new/", views_manage.template_edit, name="template_create"),
    path("certificates/manage/templates/<int:pk>/", views_manage.template_edit, name="template_edit"),
    path("certificates/manage/templates/<int:pk>/signatories/", views_manage.signatory_add, name="signatory_create"),
    path("certificates/manage/signatories/<int:pk>/remove/", views_manage.signatory_remove, name="signatory_remove"),
    path("certificates/manage/templates/<int:pk>/logos/", views_manage.logo_add, name="logo_create"),
    path("certificates/manage/logos/<int:pk>/remove/", views_manage.logo_remove, name="logo_remove"),
    path("certificates/manage/<str:kind>/<int:source_id>/", views_manage.source, name="source"),
    path("certificates/manage/<str:kind>/<int:source_id>/issue/", views_manage.source_issue, name="source_issue"),
    path(
        "certificates/manage/<str:kind>/<int:source_id>/people/", views_manage.source_override, name="source_override"
    ),
    path("certificates/manage/<str:kind>/<int:source_id>/zip/", views_manage.source_zip, name="source_zip"),
    path("certificates/manage/certificate/<str:code>/", views_manage.certificate_detail, name="manage_certificate"),
    path(
        "certificates/manage/certificate/<str:code>/revoke/", views_manage.certificate_revoke, name="certificate_revoke"
    ),
    path(
        "certificates/manage/certificate/<str:code>/reissue/",
        views_manage.certificate_reissue,
        name="certificate_reissue",
    ),
]
