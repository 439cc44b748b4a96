from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "faro.scholarships"
    label = "scholarships"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from faro.accounts.invitations import register_call_choices
        from faro.core.audit import register_action_labels
        from faro.scholarships.models import Call

        def calls() -> list[tuple[int, str]]:  # reviewers may be invited for named calls
            open_calls = Call.objects.exclude(status__in=[Call.Status.FINISHED, Call.Status.RESULTS_PUBLISHED])
            return [(call.pk, str(call)) for call in open_calls.order_by("-pk")[:50]]

        register_call_choices(calls)

        register_action_labels(  # codes logged on a parent object, where the verb alone says too little
            {
                "scholarships.allocation.previewed": _("Allocation previewed"),
                "scholarships.endorsers.notified": _("Focal points notified"),
                "scholarships.endorsements.ranked": _("Endorsements ranked"),
                "scholarships.results.published": _("Results published"),
                "scholarships.review.assigned": _("Review assigned"),
                "scholarships.reviews.assigned": _("Reviews assigned"),
                "scholarships.review.submitted": _("Review submitted"),
            }
        )
