"""The Secretariat's back office for the directory. Focal points may read their own state's people."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from faro.accounts.decorators import staff_required
from faro.accounts.scope import scope_for
from faro.core.choices import keep_choices
from faro.core.fetch import get_for_user_or_404
from faro.core.models import AuditEntry
from faro.core.participation import participation_of
from faro.directory import services
from faro.directory.forms import (
    AppointmentForm,
    EndAppointmentForm,
    InstitutionFilterForm,
    InstitutionForm,
    MembershipForm,
    MergeForm,
    PersonFilterForm,
    PersonForm,
    StatusForm,
)
from faro.directory.models import Appointment, Institution, Membership, MemberState, MemberStateStatus, Person
from faro.lib import cells

PER_PAGE = 25


def _page(request: HttpRequest, queryset: QuerySet[Model], filters: BaseForm) -> dict[str, Any]:
    params = request.GET.copy()
    params.pop("page", None)
    page_obj = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "filters": filters, "query": params.urlencode() + "&" if params else ""}


def _save(request: HttpRequest, form: BaseForm, call: Callable[[], Any], done: str) -> Any:
    """Run a service for a valid form; its refusals become form errors. Returns the object or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = call()
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, done)
    return obj


def _form_page(request: HttpRequest, form: BaseForm, title: str, cancel: str, obj: Any = None) -> HttpResponse:
    history = AuditEntry.objects.for_object(obj) if obj is not None and obj.pk else None
    context = {"form": form, "title": title, "cancel": cancel, "history": history, "object": obj}
    return render(request, "directory/manage/form.html", context)


# --- People --------------------------------------------------------------------------------


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """People, with search and filters. Staff see everyone; focal points their state's people."""
    viewer = scope_for(request.user)
    if not (viewer.is_staff or viewer.is_focal_point):
        raise Http404
    filters = PersonFilterForm(request.GET or None)
    keep_choices(filters.fields["member_state"], "directory:people:member_state")
    keep_choices(filters.fields["institution"], "directory:people:institution")
    found = Person.objects.for_user(request.user).select_related("member_state", "institution")
    words: list[str] = []
    if filters.is_valid():
        data = filters.cleaned_data
        words = data["q"].split()
        found = found.filter(
            **{
                k: v
                for k, v in {
                    "member_state": data["member_state"],
                    "institution": data["institution"],
                    "gender": data["gender"],
                    "position_level": data["level"],
                }.items()
                if v
            }
        )
    context = _page(request, found.matching(words).filed(), filters)
    return render(request, "directory/manage/people.html", {**context, "rows": _people_rows(context["page_obj"])})


def _people_rows(people: Iterable[Person]) -> SafeString:
    """The page's rows as `directory/manage/people.html` used to write them in its loop, written here:
    the cells escaped as the engine escapes them (`faro.lib.cells`), each level's label translated once."""
    levels = {value: str(label) for value, label in Person.Level.choices}
    rows = []
    for person in people:
        level = levels.get(person.position_level, person.position_level)
        rows.append(
            "\n    <tr>\n      <td>\n"
            f'        <a href="{cells.text(reverse("directory:person", args=[person.pk]))}">'
            f"{cells.text(person.last_name)}, {cells.text(person.first_name)}</a>\n      </td>\n"
            f"      <td>{cells.or_dash(person.email)}</td>\n"
            f"      <td>{cells.or_dash(person.member_state)}</td>\n"
            f"      <td>{cells.or_dash(person.institution)}</td>\n"
            f"      <td>\n        {cells.text(person.position)}"
            + (f' <span class="muted">({cells.text(level)})</span>' if level else "")
            + "\n      </td>\n    </tr>\n  "
        )
    return mark_safe("".join(rows))


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user_or_404(Person, request.user, pk=pk)
    context = {
        "person": person,
        "appointments": person.appointments.select_related("member_state"),
        "history": AuditEntry.objects.for_object(person),
        "can_edit": scope_for(request.user).is_staff,
        "participation": participation_of(person, request.user),
    }
    return render(request, "directory/manage/person_detail.html", context)


@staff_required
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    person = _save(
        request, form, lambda: services.create_person(acting_user=request.user, **form.cleaned_data), _("Person added.")
    )
    if person:
        return redirect("directory:person", pk=person.pk)
    return _form_page(request, form, _("Add a person"), "directory:people")


@staff_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user_or_404(Person, request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    saved = _save(
        request,
        form,
        lambda: services.update_person(person, acting_user=request.user, **form.cleaned_data),
        _("Changes saved."),
    )
    if saved:
        return redirect("directory:person", pk=pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": person}, "directory:people", person)


@staff_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a duplicate into this record: preview both, then confirm."""
    target = get_for_user_or_404(Person, request.user, pk=pk)
    form = MergeForm(request.POST or None, target=target, people=Person.objects.for_user(request.user))
    duplicate = form.cleaned_data["duplicate"] if form.is_valid() else None
    if duplicate is not None and request.method == "POST" and request.POST.get("confirm"):
        services.merge_people(duplicate, target, acting_user=request.user)
        messages.success(request, _("The two records are now one."))
        return redirect("directory:person", pk=target.pk)
    return render(
        request, "directory/manage/person_merge.html", {"form": form, "target": target, "duplicate": duplicate}
    )


# --- Institutions --------------------------------------------------------------------------


@staff_required
def institutions(request: HttpRequest) -> HttpResponse:
    filters = InstitutionFilterForm(request.GET or None)
    found = Institution.objects.for_user(request.user).prefetch_related("memberships")
    if filters.is_valid():
        data = filters.cleaned_data
        for word in data["q"].split():
            found = found.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
        found = found.filter(**{k: v for k, v in {"kind": data["kind"], "country_code": data["country"]}.items() if v})
    return render(request, "directory/manage/institutions.html", _page(request, found, filters))


@staff_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_for_user_or_404(Institution, request.user, pk=pk)
    context = {
        "institution": institution,
        "memberships": institution.memberships.select_related("approving_state"),
        "people_count": institution.people.count(),
        "history": AuditEntry.objects.for_object(institution),
    }
    return render(request, "directory/manage/institution_detail.html", context)


@staff_required
def institution_create(request: HttpRequest) -> HttpResponse:
    form = InstitutionForm(request.POST or None)
    institution = _save(
        request,
        form,
        lambda: services.create_institution(acting_user=request.user, **form.cleaned_data),
        _("Institution added."),
    )
    if institution:
        return redirect("directory:institution", pk=institution.pk)
    return _form_page(request, form, _("Add an institution"), "directory:institutions")


@staff_required
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_for_user_or_404(Institution, request.user, pk=pk)
    form = InstitutionForm(request.POST or None, instance=institution)
    saved = _save(
        request,
        form,
        lambda: services.update_institution(institution, acting_user=request.user, **form.cleaned_data),
        _("Changes saved."),
    )
    if saved:
        return redirect("directory:institution", pk=pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": institution}, "directory:institutions", institution)


@staff_required
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_for_user_or_404(Institution, request.user, pk=pk)
    form = MembershipForm(request.POST or None)
    saved = _save(
        request,
        form,
        lambda: services.add_membership(institution, acting_user=request.user, **form.cleaned_data),
        _("Membership added."),
    )
    if saved:
        return redirect("directory:institution", pk=pk)
    title = _("Add a membership for %(name)s") % {"name": institution}
    return _form_page(request, form, title, "directory:institutions")


@staff_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("institution"), pk=pk)
    form = MembershipForm(request.POST or None, instance=membership)
    saved = _save(
        request,
        form,
        lambda: services.update_membership(membership, acting_user=request.user, **form.cleaned_data),
        _("Changes saved."),
    )
    if saved:
        return redirect("directory:institution", pk=membership.institution_id)
    title = _("Edit the membership of %(name)s") % {"name": membership.institution}
    return _form_page(request, form, title, "directory:institutions")


# --- Member states -------------------------------------------------------------------------


@staff_required
def member_states(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    states = MemberState.objects.prefetch_related("regions__scheme", "statuses")  # in collation order of names
    rows = [{"state": s, "status": s.status_on(today), "participating": s.is_participating_on(today)} for s in states]
    return render(request, "directory/manage/member_states.html", {"rows": rows})


@staff_required
def member_state_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = get_object_or_404(MemberState, code=code.upper())
    appointments = Appointment.objects.filter(member_state=state).select_related("person")
    context = {
        "state": state,
        "status_today": state.status_on(timezone.localdate()),
        "statuses": state.statuses.order_by("-start"),
        "regions": state.regions.select_related("scheme"),
        "current": appointments.current(),
        "appointments": appointments,
        "people_count": state.people.count(),
        "history": AuditEntry.objects.for_object(state),
    }
    return render(request, "directory/manage/member_state_detail.html", context)


@staff_required
def status_create(request: HttpRequest, code: str) -> HttpResponse:
    state = get_object_or_404(MemberState, code=code.upper())
    form = StatusForm(request.POST or None, instance=MemberStateStatus(member_state=state))
    saved = _save(
        request,
        form,
        lambda: services.add_status_period(state, acting_user=request.user, **form.cleaned_data),
        _("Status period added."),
    )
    if saved:
        return redirect("directory:member_state", code=state.code)
    title = _("Add a status period for %(name)s") % {"name": state}
    return _form_page(request, form, title, "directory:member_states")


# --- Appointments --------------------------------------------------------------------------


@staff_required
def appointment_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"start": timezone.localdate()}
    state = MemberState.objects.filter(code=request.GET.get("state", "").upper()).first()
    person = Person.objects.filter(pk=request.GET.get("person") or 0).first()
    initial.update({k: v for k, v in {"member_state": state, "person": person}.items() if v})
    if person and person.member_state_id and not state:
        initial["member_state"] = person.member_state
    form = AppointmentForm(request.POST or None, initial=initial)
    appointment = _save(
        request,
        form,
        lambda: services.create_appointment(acting_user=request.user, **form.cleaned_data),
        _("Appointment added."),
    )
    if appointment:
        return redirect("directory:member_state", code=appointment.member_state.code)
    return _form_page(request, form, _("Add an appointment"), "directory:member_states")


@staff_required
def appointment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_for_user_or_404(Appointment, request.user, pk=pk)
    form = AppointmentForm(request.POST or None, instance=appointment)
    saved = _save(
        request,
        form,
        lambda: services.update_appointment(appointment, acting_user=request.user, **form.cleaned_data),
        _("Changes saved."),
    )
    if saved:
        return redirect("directory:member_state", code=saved.member_state.code)
    end_form = (
        EndAppointmentForm(initial={"end": timezone.localdate()}, prefix="finish") if not appointment.end else None
    )
    context = {
        "form": form,
        "end_form": end_form,
        "appointment": appointment,
        "history": AuditEntry.objects.for_object(appointment),
    }
    return render(request, "directory/manage/appointment_form.html", context)


@staff_required
def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_for_user_or_404(Appointment, request.user, pk=pk)
    form = EndAppointmentForm(request.POST or None, prefix="finish")
    if request.method == "POST" and form.is_valid():
        services.end_appointment(appointment, acting_user=request.user, on=form.cleaned_data["end"])
        messages.success(request, _("Appointment ended."))
    return redirect("directory:member_state", code=appointment.member_state.code)
