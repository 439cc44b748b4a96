"""Demo: reference data (idempotent)."""

from collections.abc import Callable

from django.apps import apps

from faro.directory.reference import load_reference_data


def load(out: Callable[[str], None]) -> None:
    load_reference_data(lambda name: apps.get_model("directory", name))
    out("Reference data: 35 member states, regions, plans of action.")
