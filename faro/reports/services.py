"""Writes of the reports app: publishing a year on the public impact page, or taking it back."""

from django.db import transaction

from faro.accounts.models import User
from faro.core.audit import log_action
from faro.reports.models import PublishedYear


@transaction.atomic
def publish_year(year: int, *, acting_user: User) -> PublishedYear:
    """Show `year` on the public impact page (idempotent: publishing twice changes nothing)."""
    published, created = PublishedYear.objects.get_or_create(year=year, defaults={"published_by": acting_user})
    if created:
        log_action(published, "reports.year.published", user=acting_user, data={"year": year})
    return published


@transaction.atomic
def unpublish_year(year: int, *, acting_user: User) -> None:
    """Take `year` off the public impact page (nothing happens if it was not published)."""
    published = PublishedYear.objects.select_for_update().filter(year=year).first()
    if published is None:
        return
    log_action(published, "reports.year.unpublished", user=acting_user, data={"year": year})
    published.delete()
