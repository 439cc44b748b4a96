"""`lib.inserts`: the statement Django would send, compiled once, with the values Django would bind."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext

from faro.core.models import AuditEntry, OutboxMessage
from faro.directory.models import MemberState, Person
from faro.lib import inserts

pytestmark = pytest.mark.django_db


def _entry(**fields: object) -> AuditEntry:
    values = {
        "action": "lib.test.inserted",
        "content_type": ContentType.objects.get_for_model(MemberState),
        "object_id": "7",
        "object_repr": "Perú — “quoted” & <tagged>",
        "changes": {"name": ["Ana", "Ána"]},
        "data": {"count": 3, "nested": {"list": [1, None, "x"]}},
        **fields,
    }
    return AuditEntry(**values)


def test_a_row_is_stored_as_the_orm_stores_it() -> None:
    ours, django_s = _entry(), _entry()
    assert inserts.insert_one(ours)
    AuditEntry.objects.bulk_create([django_s])
    mine, theirs = AuditEntry.objects.get(pk=ours.pk), AuditEntry.objects.get(pk=django_s.pk)
    columns = ["action", "content_type_id", "object_id", "object_repr", "changes", "data", "actor_id"]
    assert [getattr(mine, c) for c in columns] == [getattr(theirs, c) for c in columns]
    assert abs(mine.created_at - theirs.created_at) < datetime.timedelta(seconds=5)  # auto_now_add stamped


def test_the_saved_instance_is_marked_saved() -> None:
    entry = _entry()
    inserts.insert_one(entry)
    assert entry.pk is not None
    assert entry._state.adding is False
    assert entry._state.db == "default"
    assert entry.created_at is not None


def test_the_statement_is_djangos_own() -> None:
    mine, theirs = _entry(), _entry()
    with CaptureQueriesContext(connection) as ours:
        inserts.insert([mine])
    with CaptureQueriesContext(connection) as django_s:
        AuditEntry.objects.bulk_create([theirs])
    assert _insert_sql(ours, mine) == _insert_sql(django_s, theirs)


def _insert_sql(queries: CaptureQueriesContext, entry: AuditEntry) -> str:
    """The one INSERT captured, with the row's own time stamp taken out."""
    [sql] = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    return sql.replace(str(entry.created_at).replace("+00:00", ""), "<now>")


def test_the_sql_is_compiled_once_per_shape() -> None:
    inserts._sql.cache_clear()
    for _ in range(3):
        inserts.insert_one(_entry())
    info = inserts._sql.cache_info()
    assert info.misses == 1
    assert info.hits == 2


def test_several_rows_in_one_statement_get_their_ids_in_order() -> None:
    rows = [OutboxMessage(kind=OutboxMessage.Kind.TASK, task=f"t{n}", args=[n]) for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        saved = inserts.insert(rows)
    assert len([q for q in queries.captured_queries if "INSERT" in q["sql"]]) == 1
    assert saved == rows
    stored = dict(OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", "task"))
    assert [stored[r.pk] for r in rows] == [f"t{n}" for n in range(5)]


def test_several_rows_are_sent_row_after_row_not_as_column_arrays() -> None:
    rows = [OutboxMessage(kind=OutboxMessage.Kind.TASK, task=f"t{n}", args=[n, {"k": n}]) for n in range(2)]
    with CaptureQueriesContext(connection) as queries:
        inserts.insert(rows)
    [sql] = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert "UNNEST" not in sql.upper()  # cheaper to build and to plan for a request's few rows
    assert sql.count("'t0'") == sql.count("'t1'") == 1
    assert list(
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk").values_list("args", flat=True)
    ) == [
        [0, {"k": 0}],
        [1, {"k": 1}],
    ]


def test_a_large_batch_goes_through_bulk_create() -> None:
    rows = [OutboxMessage(kind=OutboxMessage.Kind.TASK, task="big", args=[n]) for n in range(inserts.MAX_ROWS + 1)]
    saved = inserts.insert(rows)
    assert all(r.pk is not None for r in saved)
    assert OutboxMessage.objects.filter(task="big").count() == inserts.MAX_ROWS + 1


def test_a_refused_row_is_skipped_with_ignore_conflicts(peru: MemberState) -> None:
    Person.objects.create(first_name="Ana", last_name="Quispe", email="ana@port.example.org", member_state=peru)
    again = Person(first_name="Ana", last_name="Q.", email="ana@port.example.org", member_state=peru)
    assert inserts.insert_one(again, ignore_conflicts=True) is False
    assert again.pk is None
    assert Person.objects.filter(email="ana@port.example.org").count() == 1


def test_ignore_conflicts_takes_one_row() -> None:
    with pytest.raises(ValueError, match="one row"):
        inserts.insert([_entry(), _entry()], ignore_conflicts=True)


def test_an_expression_value_takes_djangos_path() -> None:
    message = OutboxMessage(kind=OutboxMessage.Kind.TASK, task="later", next_attempt_at=Now())
    [saved] = inserts.insert([message])
    assert saved.pk is not None
    assert OutboxMessage.objects.get(pk=saved.pk).next_attempt_at is not None


def test_nothing_to_insert() -> None:
    assert inserts.insert([]) == []
