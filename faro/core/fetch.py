"""Fetch one object the way the viewer may see it, or answer 404."""

from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


def get_for_user_or_404(model: type[M], user: AbstractBaseUser | AnonymousUser | None, **lookup: Any) -> M:
    """`model.objects.for_user(user)` narrowed by `lookup`; outsiders get 404, never 403."""
    visible = model.objects.for_user(user)  # type: ignore[attr-defined]  # every Faro model's queryset has for_user
    found: M = get_object_or_404(visible, **lookup)
    return found
