"""Existing focal-point roles follow the person's current focal-point appointment for that state."""

import datetime

from django.db import migrations
from django.db.models import Q


def link(apps, schema_editor):  # type: ignore[no-untyped-def]
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    Appointment = apps.get_model("directory", "Appointment")
    today = datetime.date.today()
    roles = RoleAssignment.objects.filter(role="focal_point", appointment__isnull=True, user__person__isnull=False)
    for role in roles.select_related("user"):
        appointment = (
            Appointment.objects.filter(person_id=role.user.person_id, member_state_id=role.member_state_id,
                                       role="focal_point", start__lte=today)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .order_by("-start")
            .first()
        )  # fmt: skip
        if appointment is not None:
            role.appointment = appointment
            role.save(update_fields=["appointment"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_roles_end_and_invitations"), ("directory", "0001_initial")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
