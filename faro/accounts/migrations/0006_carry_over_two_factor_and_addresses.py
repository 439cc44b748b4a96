"""Carry existing accounts over to django-allauth.

Each user's address becomes a verified, primary `EmailAddress` (their accounts were made by staff or
the demo, so the address is trusted; without the row allauth would not let them sign in), and each
TOTP secret becomes an allauth `Authenticator`, encrypted as Faro's MFA adapter stores it.
"""

from typing import Any

from django.db import migrations

from faro.accounts import crypto


def carry_over(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    Authenticator = apps.get_model("mfa", "Authenticator")
    for user in User.objects.all():
        if not EmailAddress.objects.filter(user=user).exists():
            EmailAddress.objects.create(user=user, email=user.email.lower(), verified=True, primary=True)
        if user.totp_secret and not Authenticator.objects.filter(user=user, type="totp").exists():
            Authenticator.objects.create(user=user, type="totp", data={"secret": crypto.encrypt(user.totp_secret)})


def carry_back(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type="totp"):
        User.objects.filter(pk=authenticator.user_id).update(totp_secret=crypto.decrypt(authenticator.data["secret"]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_add_user_phone"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
