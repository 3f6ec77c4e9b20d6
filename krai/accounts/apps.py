from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "krai.accounts"
    label = "accounts"
