from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "faro.meetings"
    label = "meetings"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from faro.core.audit import register_action_labels

        register_action_labels(  # codes logged on a parent object, where the verb alone says too little
            {
                "meetings.document.added": _("Document added"),
                "meetings.participant.added": _("Participant added"),
                "meetings.participant.removed": _("Participant removed"),
                "meetings.session.added": _("Session added"),
            }
        )
