from django.apps import AppConfig


class AddressesConfig(AppConfig):
    """The region's address registry and its geocoder (a part of the structure area with its own tables)."""

    name = "krai.org.addresses"
    label = "addresses"
