"""Framework adapters for Goofer: ``goofer_integrations.flask``, ``goofer_integrations.django``."""
