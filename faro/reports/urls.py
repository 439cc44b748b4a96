from django.urls import path

from faro.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.xlsx", views.export_xlsx, name="report_xlsx"),
    path("report.pdf", views.export_pdf, name="report_pdf"),
    path("impact/", views.impact, name="impact"),
    path("impact/years/", views.impact_years, name="impact_years"),
    path("impact/figures.xlsx", views.impact_xlsx, name="impact_xlsx"),
    path("audit/", views.audit_log, name="audit"),
]
