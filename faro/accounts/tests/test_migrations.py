"""Existing users carried over to allauth: verified addresses, TOTP secrets as encrypted authenticators."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from faro.accounts import crypto
from faro.accounts.models import User

BEFORE = [("accounts", "0005_add_user_phone")]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.mark.django_db(transaction=True)
def test_existing_users_keep_their_two_factor_and_can_sign_in() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    old.objects.create(email="andre@pa.example.jm", password="!", totp_secret=SECRET)
    old.objects.create(email="keisha@pa.example.jm", password="!")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    andre = User.objects.get(email="andre@pa.example.jm")
    authenticator = Authenticator.objects.get(user=andre, type="totp")
    assert SECRET not in str(authenticator.data)
    assert crypto.decrypt(authenticator.data["secret"]) == SECRET
    assert TOTP(authenticator).validate_code(format_hotp_value(hotp_value(SECRET, int(time.time()) // 30)))
    assert andre.has_two_factor
    assert not User.objects.get(email="keisha@pa.example.jm").has_two_factor
    assert set(EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)) == {
        "andre@pa.example.jm",
        "keisha@pa.example.jm",
    }
