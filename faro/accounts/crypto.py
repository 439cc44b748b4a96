"""Encryption of two-factor secrets at rest (Fernet, keyed by `FARO_SECRETS_KEY`).

allauth's MFA adapter calls these for every TOTP secret it stores or reads; the migration that carried
Faro's earlier secrets over uses them too. Changing the key makes stored secrets unreadable: people
would have to set up two-factor again.
"""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"faro.accounts.mfa:" + settings.FARO_SECRETS_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
