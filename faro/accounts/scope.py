"""The one place that knows what a user may see: their `Scope`, computed once per request.

Every `QuerySet.for_user(user)` in Faro starts from `scope_for(user)`.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.utils import timezone

from faro.accounts.usertypes import Viewer


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    person_id: int | None = None
    is_staff: bool = False
    is_reviewer: bool = False
    institution_ids: frozenset[int] = frozenset()  # partner coordinator of these institutions
    member_state_ids: frozenset[int] = frozenset()  # national focal point of these states

    @property
    def is_partner(self) -> bool:
        return bool(self.institution_ids)

    @property
    def is_focal_point(self) -> bool:
        return bool(self.member_state_ids)


ANONYMOUS = Scope()


def scope_for(user: Viewer | None) -> Scope:
    """The user's scope from the roles in force today, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached: Scope | None = getattr(user, "_faro_scope", None)
    if cached is not None:
        return cached
    from faro.accounts.models import RoleAssignment

    roles = roles_in_force(user.pk, timezone.now().date())  # approved, started, not ended
    kinds = {role for role, _i, _m in roles}
    scope = Scope(
        user_id=user.pk,
        person_id=user.person_id,
        is_staff=RoleAssignment.Role.STAFF in kinds or user.is_superuser,
        is_reviewer=RoleAssignment.Role.REVIEWER in kinds,
        institution_ids=frozenset(i for r, i, _m in roles if r == RoleAssignment.Role.PARTNER and i),
        member_state_ids=frozenset(m for r, _i, m in roles if r == RoleAssignment.Role.FOCAL_POINT and m),
    )
    user._faro_scope = scope  # type: ignore[attr-defined]  # a per-request cache on the user object
    return scope


# The roles query runs on every signed-in request, and building its SQL costs eight times what the
# database takes to answer it. Its statement is built once per database connection with stand-in
# values for the user and the day (each stands for itself alone: no real query holds them), which
# each request replaces with its own; the rows are those `in_force` gives, always read afresh.
_STAND_IN_USER = -7_340_032_001
_STAND_IN_DAY = datetime.date(1, 2, 3)
_PLAN = "_faro_roles_in_force"


def roles_in_force(user_id: int, day: datetime.date) -> list[tuple[str, int | None, int | None]]:
    """(role, institution id, member state id) of the user's roles in force on `day`: the rows of
    `RoleAssignment.objects.in_force(day).filter(user_id=user_id)`, by a statement built once."""
    from faro.accounts.models import RoleAssignment

    connection = connections[RoleAssignment.objects.db]
    if _PLAN not in connection.__dict__:
        connection.__dict__[_PLAN] = _roles_plan(connection)
    plan = connection.__dict__[_PLAN]
    if plan is None:  # the statement could not be built once: the ORM builds it each time
        rows = RoleAssignment.objects.in_force(day).filter(user_id=user_id)
        return list(rows.values_list("role", "institution_id", "member_state_id"))
    sql, params, user_slots, day_slots = plan
    values = list(params)
    for i in user_slots:
        values[i] = user_id
    for i in day_slots:
        values[i] = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [tuple(row) for row in cursor.fetchall()]


def _roles_plan(connection: Any) -> tuple[str, tuple[Any, ...], list[int], list[int]] | None:
    from faro.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.in_force(_STAND_IN_DAY).filter(user_id=_STAND_IN_USER)
    compiler = rows.values_list("role", "institution_id", "member_state_id").query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    day = connection.ops.adapt_datefield_value(_STAND_IN_DAY)
    user_slots = [i for i, p in enumerate(params) if type(p) is int and p == _STAND_IN_USER]
    day_slots = [i for i, p in enumerate(params) if type(p) is type(day) and p == day]
    columns = [column for column, _sql, _alias in compiler.select]
    if not user_slots or not day_slots or compiler.get_converters(columns):
        return None
    return sql, tuple(params), user_slots, day_slots
