from django.db import migrations, models


class Migration(migrations.Migration):
    """A person's member state is `member_state`, as everywhere else (it was `country`).

    The column is renamed in place (no data moves); the index over it is rebuilt under its new name."""

    dependencies = [
        ("directory", "0003_appointment_recorded_once"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="directory_p_country_6fada1_idx"),
        migrations.RenameField(model_name="person", old_name="country", new_name="member_state"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["member_state", "gender"], name="directory_p_member__b5a785_idx"),
        ),
    ]
