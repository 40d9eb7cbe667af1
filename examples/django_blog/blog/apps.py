"""The blog app's configuration."""

from django.apps import AppConfig


class BlogConfig(AppConfig):
    """The blog app."""

    name = "blog"
