"""Public catalogue: courses and their offerings."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from faro.core.fetch import get_for_user_or_404
from faro.core.pagination import paginate
from faro.courses.forms import CourseSearchForm
from faro.courses.models import Course, Offering
from faro.lib.collation import sorted_by_name


def catalogue(request: HttpRequest) -> HttpResponse:
    """Published courses, searched and filtered in the viewer's words (titles are in four languages)."""
    courses = list(
        Course.objects.for_user(request.user).select_related("provider", "priority_area").prefetch_related("offerings")
    )
    areas = {(str(c.priority_area_id), str(c.priority_area)) for c in courses if c.priority_area_id}
    form = CourseSearchForm(request.GET or None, areas=sorted_by_name(areas, lambda area: area[1]))
    found = [course for course in courses if form.matches(course)] if form.is_bound else courses
    page = paginate(request, found)
    context = {"courses": page["page_obj"], "form": form, "searched": form.is_bound, "total": len(courses), **page}
    return render(request, "courses/catalogue.html", context)


def course(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_for_user_or_404(Course, request.user, pk=pk)
    offerings = course.offerings.prefetch_related("contributions__institution")
    return render(request, "courses/course.html", {"course": course, "offerings": offerings})


def offering(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_for_user_or_404(Offering, request.user, pk=pk)
    calls = offering.calls.for_user(request.user)
    return render(request, "courses/offering.html", {"offering": offering, "course": offering.course, "calls": calls})
