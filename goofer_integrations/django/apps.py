"""The Django app: ``INSTALLED_APPS += ["goofer_integrations.django"]``."""

from __future__ import annotations

from django.apps import AppConfig


class GooferConfig(AppConfig):  # type: ignore[misc,unused-ignore]  # without django-stubs
    """Register the test-database hook and the system check."""

    name = "goofer_integrations.django"
    # The default label would be "django" (the last dotted component), which clashes.
    label = "goofer"
    verbose_name = "Goofer"

    def ready(self) -> None:
        """Connect post_migrate (for test databases) and register the system check."""
        from django.core import checks
        from django.db.models.signals import post_migrate

        from .checks import check_goofer_migrations
        from .testdb import apply_to_test_database

        post_migrate.connect(
            apply_to_test_database, sender=self, dispatch_uid="goofer.apply_to_test_database"
        )
        checks.register(check_goofer_migrations, checks.Tags.database)
