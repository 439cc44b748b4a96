from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "faro.courses"
    label = "courses"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from faro.core.audit import register_action_labels

        register_action_labels(  # codes logged on a parent object, where the verb alone says too little
            {
                "courses.contribution.added": _("Partner contribution added"),
                "courses.results.imported": _("Results imported"),
            }
        )
