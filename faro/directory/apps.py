from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "faro.directory"
    label = "directory"
