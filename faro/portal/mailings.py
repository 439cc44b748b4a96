"""Moved to `faro.portal.services.mailings`; this name stays for imports written before the move."""

from faro.portal.services.mailings import *  # noqa: F403 — the whole public interface, unchanged
