from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "faro.meetings"
    label = "meetings"
