"""The one place that knows what a user may see: their `Scope`, computed once per request.

Every `QuerySet.for_user(user)` in Faro starts from `scope_for(user)`.
"""

from dataclasses import dataclass

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

    in_force = RoleAssignment.objects.in_force().filter(user=user)  # approved, started, not ended
    roles = list(in_force.values_list("role", "institution_id", "member_state_id"))
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
