"""Scheduled work for scholarships (registered in CELERY_BEAT_SCHEDULE)."""

from faro.lib.tasks import task


@task
def expire_offers_task() -> int:
    """Expire unanswered offers past their deadline and promote from the waitlists (idempotent)."""
    from faro.scholarships.services import expire_offers

    return expire_offers()


@task
def close_overdue_calls_task() -> int:
    """Close open calls whose deadline has passed (idempotent; cron: `manage.py close_overdue_calls`)."""
    from faro.scholarships.services import close_overdue_calls

    return close_overdue_calls()


@task
def remind_endorsers_task() -> int:
    """Remind focal points of applications still awaiting endorsement close to the deadline (idempotent)."""
    from faro.scholarships.services import remind_endorsers

    return remind_endorsers()
