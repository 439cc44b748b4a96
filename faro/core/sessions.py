"""Sessions in the database, as Django keeps them, without a query before each new one.

Django's database store picks a new session key by asking the database whether a random key is
taken (a SELECT), then inserts the row, and if the INSERT still meets the key (a race) it draws
another. The INSERT's primary key alone makes the key unique: this store draws the key and inserts
at once, and a refused INSERT draws again, through Django's own loop. A key is 32 characters out of
36, so a refusal is for all purposes never; the question cost every sign-up and sign-in a statement.

Sessions stay rows of the same table, in the same format: signing out, staff deactivating an
account and `clearsessions` work as before, and sessions made before the switch stay valid.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self) -> str:
        """A random key; `create()` inserts it, and draws again if the INSERT finds it taken."""
        return get_random_string(32, VALID_KEY_CHARS)
