"""Load the member states, their status history, regions and plans of action."""

from django.db import migrations

from faro.directory.reference import load_reference_data


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    load_reference_data(lambda name: apps.get_model("directory", name))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
