"""Registrations made before the name as entered was kept get the registrant's directory name.

What was typed then is lost; the directory's name is what every organiser was shown until now, so
nobody learns anything new, and a registrant who created their record by registering typed exactly it.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Trim


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Registration = apps.get_model("webinars", "Registration")
    Person = apps.get_model("directory", "Person")
    name = Trim(Concat("first_name", Value(" "), "last_name"))
    directory_name = Person.objects.filter(pk=OuterRef("person_id")).annotate(name=name).values("name")[:1]
    Registration.objects.filter(entered_name="").update(entered_name=Subquery(directory_name))


class Migration(migrations.Migration):
    dependencies = [("webinars", "0003_registration_entered_name"), ("directory", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
