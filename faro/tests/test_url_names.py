"""URL names read one way: `<noun>`, `<noun>_<verb>`, `manage_<noun>` or `my_<noun>`.

A name that is only a verb (`apply`, `cancel`) or starts with one (`endorse_call`,
`choose_language`) is the pattern drifting. The verbs below are the ones Faro's names use; a new
verb belongs in the list, after the noun in the name. Paths are not checked: published ones stay.
"""

import re
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

VERBS = {
    *("apply", "approve", "assign", "bounce", "cancel", "check", "choose", "commit", "complete", "create"),
    *("deactivate", "edit", "end", "endorse", "erase", "export", "import", "issue", "merge", "move"),
    *("override", "publish", "rank", "register", "refuse", "reissue", "remove", "renew", "resend"),
    *("resume", "revoke", "send", "set", "submit", "test", "unsubscribe", "upload", "verify", "withdraw"),
}
SNAKE = re.compile(r"[a-z]+(_[a-z0-9]+)*")


def faro_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from faro_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.callback.__module__.startswith("faro."):
            yield f"{namespace}{entry.name}"


def drifts(full_name: str) -> bool:
    name = full_name.rpartition(":")[2]
    words = name.split("_")
    return SNAKE.fullmatch(name) is None or words[0] in VERBS or name == "manage"


def test_faro_has_named_urls_to_check() -> None:
    assert len(list(faro_names(get_resolver().url_patterns))) > 200


def test_every_url_name_puts_the_noun_first() -> None:
    assert [name for name in faro_names(get_resolver().url_patterns) if drifts(name)] == []


def test_the_check_catches_a_verb_first_or_bare_verb() -> None:
    assert drifts("scholarships:endorse_call")
    assert drifts("scholarships:apply")
    assert drifts("certificates:manage")
    assert drifts("accounts:Choose-Language")
    assert not drifts("scholarships:call_endorsements")
    assert not drifts("scholarships:manage_calls")
    assert not drifts("portal:my_data_export")
