"""Registrations made before the member state and position as entered were kept get the registrant's
directory values: what every organiser was shown until now, so nobody learns anything new."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Registration = apps.get_model("webinars", "Registration")
    Person = apps.get_model("directory", "Person")
    person = Person.objects.filter(pk=OuterRef("person_id"))
    Registration.objects.filter(entered_member_state=None).update(
        entered_member_state=Subquery(person.values("member_state_id")[:1])
    )
    Registration.objects.filter(entered_position="").update(entered_position=Subquery(person.values("position")[:1]))


class Migration(migrations.Migration):
    dependencies = [("webinars", "0006_registration_entered_member_state_and_position")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
