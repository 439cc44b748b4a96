"""Invite someone to a role from the command line, and print the acceptance link.

    python manage.py invite admin@cip.example.org --role staff          # a new installation's first staff user
    python manage.py invite ana@anpy.example.py --role focal-point --member-state PY --language es
    python manage.py invite rosa@apn.example.pe --role partner --institution APN
    python manage.py invite carla@example.cl --role reviewer [--call 12 --call 13]

The same rules as the People & access page apply (a state that does not take part has no focal
point, an address already invited or holding the role is refused); the mail is sent as well.
"""

import datetime
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from faro.accounts.invitations import send_invitation
from faro.accounts.models import RoleAssignment
from faro.directory.models import Institution, MemberState

ROLES = {
    "staff": RoleAssignment.Role.STAFF,
    "partner": RoleAssignment.Role.PARTNER,
    "focal-point": RoleAssignment.Role.FOCAL_POINT,
    "reviewer": RoleAssignment.Role.REVIEWER,
}


def _member_state(code: str | None) -> MemberState | None:
    if not code:
        return None
    state = MemberState.objects.filter(code__iexact=code).first()
    if state is None:
        raise CommandError(f"there is no member state with the ISO code {code!r}")
    return state


def _institution(name: str | None) -> Institution | None:
    if not name:
        return None
    lookup = Q(acronym__iexact=name) | Q(name__iexact=name) | (Q(pk=int(name)) if name.isdigit() else Q(pk__in=[]))
    found = list(Institution.objects.filter(lookup)[:2])
    if len(found) != 1:
        problem = "several institutions match" if found else "no institution matches"
        raise CommandError(f"{problem} {name!r}: give its id, acronym or exact name")
    return found[0]


class Command(BaseCommand):
    help = "Invite EMAIL to a role (mails the link and prints it)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--member-state", help="ISO code of the focal point's member state, e.g. PY")
        parser.add_argument("--institution", help="the partner coordinator's institution: id, acronym or name")
        parser.add_argument("--call", type=int, action="append", default=[], help="a call to review (repeatable)")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES], default="")
        parser.add_argument("--from", dest="starts_on", type=datetime.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        role = ROLES[options["role"]]
        try:
            invitation, link = send_invitation(
                options["email"],
                role=role,
                acting_user=None,
                member_state=_member_state(options["member_state"]),
                institution=_institution(options["institution"]),
                call_ids=options["call"],
                starts_on=options["starts_on"],
                language=options["language"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        expires = invitation.expires_at.date().isoformat()
        self.stdout.write(f"Invited {invitation.email} as {invitation.label}; the link works once, until {expires}:")
        self.stdout.write(link)
