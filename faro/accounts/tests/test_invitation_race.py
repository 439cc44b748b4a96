"""One invitation link opened twice at once (a double click, two tabs): one account, one role
(PostgreSQL only; `select_for_update` on the invitation in `accept_invitation_as_new_user`)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from conftest import make_user
from faro.accounts import invitations
from faro.accounts.invitations import InvitationProblem
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.directory.models import MemberState, Person

WORKERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_create_one_account_and_one_role() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL (CI runs the suite on it)")
    staff = make_user("staff@cip.example.org", role="staff")
    paraguay = MemberState.objects.get(code="PY")
    invitation, _link = invitations.send_invitation(
        "ana@anpy.example.py", role=RoleAssignment.Role.FOCAL_POINT, member_state=paraguay, acting_user=staff
    )
    start = threading.Barrier(WORKERS)

    def attempt(index: int) -> str:
        try:
            start.wait(timeout=30)
            invitations.accept_invitation_as_new_user(
                invitation,
                full_name="Ana Benítez",
                member_state=paraguay,
                institution=None,
                position="",
                preferred_language="es",
                password=None,
            )
            return "accepted"
        except InvitationProblem as problem:
            return problem.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(attempt, range(WORKERS)))
    assert outcomes.count("accepted") == 1
    assert set(outcomes) - {"accepted"} == {"used"}
    assert User.objects.filter(email="ana@anpy.example.py").count() == 1
    assert Person.objects.with_email("ana@anpy.example.py").count() == 1
    assert RoleAssignment.objects.filter(role="focal_point", member_state=paraguay).count() == 1
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
