"""The shop app's configuration."""

from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The shop app."""

    name = "shop"
