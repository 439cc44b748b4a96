"""Each webinar keeps how many of its registrations are confirmed, maintained by triggers on the
registrations table: every insert, delete and change of status or webinar — through a service, a
bulk import, a cascade or by hand — moves the count, so it cannot drift from the rows it counts.
The registration request then reads the seats taken from the webinar row it locks anyway, instead
of counting every registration of the webinar (work that grew with each registrant)."""

from django.db import migrations, models

CONFIRMED = "confirmed"  # Registration.Status.CONFIRMED as stored

SQLITE = [
    f"""CREATE TRIGGER webinars_registration_counted_insert AFTER INSERT ON webinars_registration
    WHEN NEW.status = '{CONFIRMED}'
    BEGIN
      UPDATE webinars_webinar SET confirmed_registrations = confirmed_registrations + 1 WHERE id = NEW.webinar_id;
    END""",
    f"""CREATE TRIGGER webinars_registration_counted_delete AFTER DELETE ON webinars_registration
    WHEN OLD.status = '{CONFIRMED}'
    BEGIN
      UPDATE webinars_webinar SET confirmed_registrations = confirmed_registrations - 1 WHERE id = OLD.webinar_id;
    END""",
    f"""CREATE TRIGGER webinars_registration_counted_update AFTER UPDATE OF status, webinar_id ON webinars_registration
    WHEN (OLD.status = '{CONFIRMED}') != (NEW.status = '{CONFIRMED}') OR OLD.webinar_id != NEW.webinar_id
    BEGIN
      UPDATE webinars_webinar SET confirmed_registrations = confirmed_registrations - 1
        WHERE id = OLD.webinar_id AND OLD.status = '{CONFIRMED}';
      UPDATE webinars_webinar SET confirmed_registrations = confirmed_registrations + 1
        WHERE id = NEW.webinar_id AND NEW.status = '{CONFIRMED}';
    END""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS webinars_registration_counted_{event}" for event in ("insert", "delete", "update")
]

POSTGRESQL = [
    f"""CREATE FUNCTION webinars_count_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.webinar_id = NEW.webinar_id THEN
        RETURN NULL;
      END IF;
      IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = '{CONFIRMED}' THEN
        UPDATE webinars_webinar SET confirmed_registrations = confirmed_registrations - 1 WHERE id = OLD.webinar_id;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = '{CONFIRMED}' THEN
        UPDATE webinars_webinar SET confirmed_registrations = confirmed_registrations + 1 WHERE id = NEW.webinar_id;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER webinars_registration_counted
    AFTER INSERT OR DELETE OR UPDATE OF status, webinar_id ON webinars_registration
    FOR EACH ROW EXECUTE FUNCTION webinars_count_confirmed()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS webinars_registration_counted ON webinars_registration",
    "DROP FUNCTION IF EXISTS webinars_count_confirmed()",
]

BACKFILL = f"""UPDATE webinars_webinar SET confirmed_registrations = (
    SELECT COUNT(*) FROM webinars_registration AS r WHERE r.webinar_id = webinars_webinar.id AND r.status = '{CONFIRMED}'
)"""


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in [*statements, BACKFILL]:
        schema_editor.execute(statement)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRESQL_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("webinars", "0007_backfill_registration_entered_member_state_and_position")]

    operations = [
        migrations.AddField(
            model_name="webinar",
            name="confirmed_registrations",
            field=models.IntegerField(default=0, editable=False, verbose_name="confirmed registrations"),
        ),
        migrations.RunPython(install, remove),
    ]
