"""Queries whose SQL is compiled once per database connection.

Django builds and compiles a queryset's SQL anew every time it runs. For the few lookups the busiest
request makes (the registration POST reads a webinar, its questions, a member state and locks the
webinar row) building the statement costs several times what the database takes to answer it.

`Prepared(build, *samples)` calls `build` once with stand-in values, compiles the queryset it returns
with Django's own compiler and remembers where each stand-in landed among the statement's
parameters. Each call then sends the same statement with the caller's values in those places, turns
the columns into Python values with the compiler's converters (`from_db_value`, the backend's own)
and makes the instances with `Model.from_db`, as the ORM does.

Rules for `build`: it takes the varying values as arguments and nothing else varies — no
`timezone.now()`, no settings read inside — because whatever else it puts in the statement is fixed
at the first call. It returns a queryset of plain model rows: no `select_related`, `annotate`,
`values()` or `prefetch_related` (refused when compiling, so a mistake shows at once).
"""

import itertools
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=models.Model)
_numbers = itertools.count()


class Prepared(Generic[M]):
    """A queryset shape compiled once per connection; `one()` and `all()` run it with new values."""

    def __init__(self, build: Callable[..., "models.QuerySet[M]"], *samples: Any, using: str = "default") -> None:
        self.build, self.samples, self.using = build, samples, using
        # Named by a counter, not id(self): a collected query's id may be reused by another one.
        self.attribute = f"_faro_prepared_{next(_numbers)}"

    def all(self, *values: Any) -> list[M]:
        """Every row the queryset built from `values` gives, as model instances, in its order."""
        if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
            return []  # no 64-bit column holds it (Django's ORM answers "no rows" too)
        plan = self._plan()
        with plan.connection.cursor() as cursor:
            cursor.execute(plan.sql, plan.bind(values))
            rows = cursor.fetchall()
        model = cast(type[M], plan.model)
        return [model.from_db(self.using, plan.attnames, row) for row in plan.converted(rows)]

    def one(self, *values: Any) -> M | None:
        """The only row, or None; more than one means the queryset was not a lookup by a unique key."""
        rows = self.all(*values)
        if len(rows) > 1:
            raise type(rows[0]).MultipleObjectsReturned(f"{self.build!r} gave {len(rows)} rows")  # type: ignore[attr-defined]
        return rows[0] if rows else None

    def _plan(self) -> "_Plan":
        connection = connections[self.using]
        plan = connection.__dict__.get(self.attribute)  # one per connection object, as its converters are
        if plan is None:
            plan = _Plan.compile(self.build(*(_stand_in(v, n) for n, v in enumerate(self.samples))), self.samples)
            connection.__dict__[self.attribute] = plan
        return plan


class _Plan:
    """One compiled statement: its SQL, where the caller's values go, its converters and columns."""

    def __init__(self, compiler: SQLCompiler, sql: str, params: list[Any], slots: list[list[int]]) -> None:
        self.compiler, self.connection = compiler, compiler.connection
        self.sql, self.params, self.slots = sql, params, slots
        self.model = compiler.query.model
        select = compiler.klass_info["select_fields"] if compiler.klass_info else []
        self.attnames = [compiler.select[i][0].target.attname for i in select]
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(columns)

    @classmethod
    def compile(cls, queryset: "models.QuerySet[Any]", samples: tuple[Any, ...]) -> "_Plan":
        query = queryset.query
        if (
            getattr(queryset, "_prefetch_related_lookups", ())
            or query.select_related
            or query.annotations
            or query.values_select
        ):
            raise ValueError("a prepared query returns plain rows of one model")
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if compiler.klass_info and compiler.klass_info.get("related_klass_infos"):
            raise ValueError("a prepared query returns plain rows of one model")
        stand_ins = [_stand_in(v, n) for n, v in enumerate(samples)]
        slots = [[i for i, p in enumerate(params) if p == s and type(p) is type(s)] for s in stand_ins]
        if any(not slot for slot in slots):
            raise ValueError("every value of a prepared query must reach the statement unchanged")
        return cls(compiler, sql, list(params), slots)

    def bind(self, values: tuple[Any, ...]) -> list[Any]:
        if len(values) != len(self.slots):
            raise TypeError(f"the prepared query takes {len(self.slots)} values, not {len(values)}")
        params = list(self.params)
        for value, slot in zip(values, self.slots, strict=True):
            for i in slot:
                params[i] = value
        return params

    def converted(self, rows: list[tuple[Any, ...]]) -> Iterator[list[Any]]:
        if not self.converters:
            return (list(row) for row in rows)
        return self.compiler.apply_converters(rows, self.converters)


def _stand_in(sample: Any, n: int) -> Any:
    """A value of the sample's type that no real query would hold, distinct for each argument."""
    if isinstance(sample, bool):
        raise TypeError("a prepared query cannot take a boolean: it would not be told apart in the statement")
    if isinstance(sample, int):
        return -7_340_032_000 - n
    if isinstance(sample, str):
        return f"\x00faro-prepared-{n}\x00"
    raise TypeError(f"a prepared query takes ints and strings, not {type(sample).__name__}")


class PreparedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A `ModelChoiceField` that looks the submitted primary key up with a `Prepared` query over its
    queryset, built once when the form class is defined (copies of the field share it). A form that
    narrows the queryset later needs a plain `ModelChoiceField`."""

    def __init__(self, queryset: "models.QuerySet[Any]", **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.lookup: Prepared[Any] = Prepared(lambda pk: queryset.filter(pk=pk), 0)

    def to_python(self, value: Any) -> models.Model | None:
        if value in self.empty_values:
            return None
        if isinstance(value, models.Model):
            return value
        try:
            found: models.Model | None = self.lookup.one(int(str(value)))
        except ValueError:
            found = None
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found
