from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "faro.accounts"
    label = "accounts"
