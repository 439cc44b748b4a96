"""One client address and one email spelling for every lockout and rate limit."""

from django.http import HttpRequest
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from faro.core.ratelimit import client_ip
from faro.lib.text import normalise_email


def request(forwarded: str = "", remote: str = "10.0.0.2") -> HttpRequest:
    if forwarded:
        return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return RequestFactory().get("/", REMOTE_ADDR=remote)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.9")) == "10.0.0.2"


def test_behind_one_proxy_the_last_entry_is_the_client(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request("198.51.100.7, 203.0.113.9")) == "203.0.113.9"  # the first one was forged


def test_behind_two_proxies_the_entry_two_from_the_end_is_the_client(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("198.51.100.7, 203.0.113.9, 10.0.0.9")) == "203.0.113.9"


def test_a_request_that_skipped_the_proxies_counts_as_its_peer(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("203.0.113.9")) == "10.0.0.2"


def test_allauth_uses_the_same_address(settings: Settings) -> None:
    from faro.accounts.adapter import AccountAdapter

    settings.TRUSTED_PROXY_COUNT = 1
    assert AccountAdapter().get_client_ip(request("203.0.113.9")) == "203.0.113.9"


def test_look_alike_spellings_of_an_email_are_one_address() -> None:
    assert normalise_email(" ＫＥＩＳＨＡ@Port.Example.JM ") == "keisha@port.example.jm"
    assert normalise_email("Keisha@port.example.jm") == "keisha@port.example.jm"
    assert normalise_email("") is None
