from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "faro.scholarships"
    label = "scholarships"

    def ready(self) -> None:
        from faro.accounts.invitations import register_call_choices
        from faro.scholarships.models import Call

        def calls() -> list[tuple[int, str]]:  # reviewers may be invited for named calls
            open_calls = Call.objects.exclude(status__in=[Call.Status.FINISHED, Call.Status.RESULTS_PUBLISHED])
            return [(call.pk, str(call)) for call in open_calls.order_by("-pk")[:50]]

        register_call_choices(calls)
