"""Public catalogue: courses and their offerings."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from faro.core.fetch import get_for_user_or_404
from faro.core.pagination import paginate
from faro.courses.models import Course, Offering


def catalogue(request: HttpRequest) -> HttpResponse:
    courses = (
        Course.objects.for_user(request.user).select_related("provider", "priority_area").prefetch_related("offerings")
    )
    page = paginate(request, courses)
    return render(request, "courses/catalogue.html", {"courses": page["page_obj"], **page})


def course(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_for_user_or_404(Course, request.user, pk=pk)
    offerings = course.offerings.prefetch_related("contributions__institution")
    return render(request, "courses/course.html", {"course": course, "offerings": offerings})


def offering(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_for_user_or_404(Offering, request.user, pk=pk)
    calls = offering.calls.for_user(request.user)
    return render(request, "courses/offering.html", {"offering": offering, "course": offering.course, "calls": calls})
