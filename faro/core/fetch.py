"""Fetch one object the way the viewer may see it, or answer 404."""

from typing import Any, TypeVar

from django.db import models
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


def get_for_user_or_404(model: type[M], user: Any, **lookup: Any) -> M:
    """`model.objects.for_user(user)` narrowed by `lookup`; outsiders get 404, never 403."""
    return get_object_or_404(model.objects.for_user(user), **lookup)  # type: ignore[attr-defined]
