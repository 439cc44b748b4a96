from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "faro.webinars"
    label = "webinars"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from faro.core.audit import register_action_labels

        register_action_labels(  # codes logged on a parent object, where the verb alone says too little
            {
                "webinars.attendance.imported": _("Attendance imported"),
                "webinars.registrations.imported": _("Registrations imported"),
                "webinars.survey.sent": _("Survey sent"),
            }
        )
