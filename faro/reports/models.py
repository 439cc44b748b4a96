"""What reports store: only which years staff have published on the public impact page
(figures themselves are never stored; they are counted from the records on every request)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from faro.core.models import TimeStampedModel


class PublishedYear(TimeStampedModel):
    """A calendar year staff have checked and published on the public impact page."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("published year")
        verbose_name_plural = _("published years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
