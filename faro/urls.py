"""Faro's one URL root. Each app owns the paths under its prefix."""

from django.conf import settings
from django.urls import include, path

from faro.accounts import views as accounts_views
from faro.core import views as core_views
from faro.lib.urls import lazy_include

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Django's switch, answered by Faro's (it also says when a language is not available).
    path("i18n/setlang/", accounts_views.set_language),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("faro.accounts.urls")),
    # allauth's pages: `allauth.urls` less its unused social-account part, the two-factor views imported
    # on their first request (see faro.accounts.urls_mfa).
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("faro.accounts.urls_mfa")),
    path("directory/", include("faro.directory.urls")),
    path("courses/", include("faro.courses.urls")),
    path("scholarships/", include("faro.scholarships.urls")),
    path("webinars/", include("faro.webinars.urls")),
    path("meetings/", include("faro.meetings.urls")),
    path("reports/", include("faro.reports.urls")),
    # Imported on its first request or `reverse("api:…")`, not by every public page (see faro.lib.urls).
    lazy_include("api/v1/", "faro.api.urls", "api"),
    path("jobs/", include("faro.core.urls")),
    path("", include("faro.certificates.urls")),
    path("", include("faro.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
