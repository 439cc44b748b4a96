"""Access work waiting for staff: nominations by partners and focal points to approve."""

from django.urls import reverse
from django.utils.translation import ngettext

from faro.accounts.models import RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.core.todo import Todo


def items(user: User) -> list[Todo]:
    if not scope_for(user).is_staff:
        return []
    waiting = RoleAssignment.objects.pending().count()
    if not waiting:
        return []
    text = ngettext("%(n)d nomination waits for your approval", "%(n)d nominations wait for your approval", waiting)
    return [Todo(text=text % {"n": waiting}, url=reverse("accounts:manage_people"))]
