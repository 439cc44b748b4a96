"""INSERTs whose SQL is built once per process.

Django compiles an INSERT anew for every `save()`, `create()` and `bulk_create()`. For the few rows a
busy request writes (a person, a registration, its audit entry, its outbox messages) building that
statement costs more than the database takes to run it. `insert` sends the statement Django would
send (several rows as `VALUES (…), (…)`, where Django's PostgreSQL compiler would use `UNNEST`),
built once per model, number of rows, conflict handling and database; only the values change,
and they are prepared exactly as Django prepares them (`pre_save`, then `get_db_prep_save`), so
`auto_now` stamps and field defaults behave as with `bulk_create`.

Like `bulk_create`, it sends no signals and skips `save()`; unlike it, every row gets its primary
key on every backend Faro runs (PostgreSQL and SQLite both return ids from an INSERT). A value that
is an SQL expression (`F()`, `Now()`) changes the statement itself, so such rows take Django's
ordinary path.
"""

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models.constants import OnConflict
from django.db.models.fields import AutoFieldMixin
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler

M = TypeVar("M", bound=models.Model)

MAX_ROWS = 100  # larger batches are rare (mailings) and go through bulk_create's batching


def insert(objs: Sequence[M], *, ignore_conflicts: bool = False) -> list[M]:
    """Insert `objs` (all of one model, none saved yet) in one statement; returns those inserted,
    with their primary keys set. With `ignore_conflicts` a row a unique index refuses is skipped
    (`ON CONFLICT DO NOTHING`, SQLite's `INSERT OR IGNORE`) and left out of the result."""
    if not objs:
        return []
    if ignore_conflicts and len(objs) != 1:  # which rows were skipped cannot be told from the ids alone
        raise ValueError("ignore_conflicts takes one row at a time")
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    fields = _fields(model)
    rows = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        if ignore_conflicts:
            raise ValueError("an SQL expression as a value changes the statement; ignore_conflicts needs plain values")
        return list(model._default_manager.bulk_create(objs))
    if len(objs) > MAX_ROWS:
        return list(model._default_manager.bulk_create(objs))  # in batches the database accepts
    values = [[field.get_db_prep_save(v, connection) for field, v in zip(fields, row, strict=True)] for row in rows]
    sql = _sql(model, len(objs), ignore_conflicts, using)
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for row in values for v in row])
        returned = [pk for (pk,) in cursor.fetchall()]
    if not returned and ignore_conflicts:
        return []
    if len(returned) != len(objs):
        raise RuntimeError(f"the INSERT returned {len(returned)} ids for {len(objs)} rows")
    for obj, pk in zip(objs, returned, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, using
    return list(objs)


def insert_one(obj: M, *, ignore_conflicts: bool = False) -> bool:
    """Insert one row; True when it was written (False: a unique index refused it, with `ignore_conflicts`)."""
    return bool(insert([obj], ignore_conflicts=ignore_conflicts))


@functools.cache
def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns `bulk_create` writes for rows without a primary key: all but a database-made one."""
    fields = model._meta.concrete_fields
    return [f for f in fields if not isinstance(f, AutoFieldMixin) and not getattr(f, "generated", False)]


@functools.cache
def _sql(model: type[models.Model], count: int, ignore_conflicts: bool, using: str) -> str:
    """Django's own INSERT … RETURNING id for `count` rows of `model`, compiled from placeholder rows,
    its values row after row (`VALUES (…), (…)`). For several rows Django's PostgreSQL compiler would
    send each column as one array to `UNNEST`, which saves planning a large batch; for the two or
    three rows a request writes, building and parsing those array literals costs more than it saves."""
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    fields = _fields(model)
    query.insert_values(fields, [model() for _ in range(count)])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [model._meta.pk]
    compiler.assemble_as_sql = functools.partial(SQLInsertCompiler.assemble_as_sql, compiler)  # not UNNEST
    statements = compiler.as_sql()
    if len(statements) != 1:
        raise RuntimeError(f"{connections[using].vendor} cannot insert {count} rows in one statement")
    [(sql, _params)] = statements
    return str(sql)
