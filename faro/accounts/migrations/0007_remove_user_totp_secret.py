from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_carry_over_two_factor_and_addresses"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="totp_secret"),
    ]
