import os

from django.apps import AppConfig, apps


class PeopleConfig(AppConfig):
    name = "people"
    default_auto_field = "django.db.models.AutoField"  # beats DEFAULT_AUTO_FIELD for this app

    def ready(self) -> None:
        if os.environ.get("MODELSITE_UNMANAGED"):  # as the README says to mark Goofer's models
            for label in ("people", "shop", "sales"):
                for model in apps.get_app_config(label).get_models(include_auto_created=True):
                    model._meta.managed = False
