"""`lib.prepared`: the ORM's own statement and instances, compiled once per connection."""

import pytest
from django import forms
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from faro.directory.models import MemberState
from faro.lib.prepared import Prepared, PreparedModelChoiceField
from faro.webinars.models import Question, Webinar
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db

BY_CODE = Prepared(lambda code: MemberState.objects.filter(code=code), "")
QUESTIONS = Prepared(lambda webinar: Question.objects.filter(webinar_id=webinar).order_by("order", "pk"), 0)
PUBLIC = Prepared(lambda pk: Webinar.objects.public().filter(pk=pk), 0)


def _fields(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def test_rows_equal_the_orms(peru: MemberState) -> None:
    found = BY_CODE.one("PE")
    assert found is not None
    assert _fields(found) == _fields(MemberState.objects.get(code="PE"))
    assert found._state.adding is False
    assert found._state.db == "default"


def test_converted_values_equal_the_orms() -> None:
    webinar = make_webinar(title={"en": "Ports", "es": "Puertos"})
    for order, label in enumerate(["Puerto", "Cargo"]):
        Question.objects.create(webinar=webinar, label={"en": label}, order=order)
    mine = QUESTIONS.all(webinar.pk)
    theirs = list(Question.objects.filter(webinar=webinar).order_by("order", "pk"))
    assert [_fields(q) for q in mine] == [_fields(q) for q in theirs]
    assert [str(q.label) for q in mine] == ["Puerto", "Cargo"]  # the translated field's own conversion


def test_the_statement_is_the_orms(peru: MemberState) -> None:
    BY_CODE.one("PE")  # compiled
    with CaptureQueriesContext(connection) as ours:
        BY_CODE.one("PE")
    with CaptureQueriesContext(connection) as orm:
        list(MemberState.objects.filter(code="PE"))
    assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in orm.captured_queries]


def test_the_filters_of_the_queryset_hold() -> None:
    draft = make_webinar(status=Webinar.Status.DRAFT)
    published = make_webinar(status=Webinar.Status.PUBLISHED)
    assert PUBLIC.one(draft.pk) is None
    found = PUBLIC.one(published.pk)
    assert found is not None
    assert found.pk == published.pk


def test_a_value_beyond_64_bits_finds_nothing() -> None:
    assert PUBLIC.one(2**70) is None


def test_more_than_one_row_is_an_error() -> None:
    everyone = Prepared(lambda code: MemberState.objects.exclude(code=code), "")
    with pytest.raises(MemberState.MultipleObjectsReturned):
        everyone.one("PE")


def test_each_connection_compiles_once(peru: MemberState) -> None:
    lookup = Prepared(lambda code: MemberState.objects.filter(code=code), "")
    calls = []

    def build(code: str) -> "object":
        calls.append(code)
        return MemberState.objects.filter(code=code)

    lookup.build = build  # type: ignore[assignment]
    for _ in range(3):
        assert lookup.one("PE") is not None
    assert len(calls) == 1


def test_select_for_update_locks_in_a_transaction() -> None:
    webinar = make_webinar()
    locking = Prepared(lambda pk: Webinar.objects.select_for_update().filter(pk=pk), 0)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert locking.one(webinar.pk) is not None
    locks = [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"]]
    assert len(locks) == 1
    if connection.features.has_select_for_update:
        assert locks[0].endswith("FOR UPDATE")


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Question.objects.select_related("webinar").filter(pk=pk),
        lambda pk: Question.objects.annotate(n=Count("pk")).filter(pk=pk),
        lambda pk: Question.objects.prefetch_related("webinar").filter(pk=pk),
    ],
    ids=["select_related", "annotate", "prefetch_related"],
)
def test_only_plain_rows_are_prepared(build: object) -> None:
    with pytest.raises(ValueError, match="plain rows"):
        Prepared(build, 0).all(1)  # type: ignore[arg-type]


def test_a_value_that_does_not_reach_the_statement_is_refused() -> None:
    ignored = Prepared(lambda pk: MemberState.objects.all(), 0)
    with pytest.raises(ValueError, match="unchanged"):
        ignored.all(1)


def test_the_wrong_number_of_values_is_refused(peru: MemberState) -> None:
    with pytest.raises(TypeError, match="takes 1 values"):
        BY_CODE.all("PE", "JM")


def test_booleans_and_other_types_are_refused() -> None:
    with pytest.raises(TypeError):
        Prepared(lambda flag: MemberState.objects.filter(oas_member_since__isnull=flag), True).all(True)
    with pytest.raises(TypeError):
        Prepared(lambda day: MemberState.objects.filter(oas_member_since=day), 1.5).all(1.5)


class _StateForm(forms.Form):
    state = PreparedModelChoiceField(queryset=MemberState.objects.all())


def test_the_choice_field_finds_the_submitted_row(peru: MemberState) -> None:
    form = _StateForm({"state": str(peru.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["state"] == peru


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "1.5", "0"])
def test_the_choice_field_refuses_what_is_not_a_choice(value: str) -> None:
    form = _StateForm({"state": value})
    assert not form.is_valid()
    assert str(form.errors["state"][0]).startswith("Select a valid choice")


def test_the_choice_field_requires_a_value() -> None:
    form = _StateForm({"state": ""})
    assert not form.is_valid()
    assert "state" in form.errors
