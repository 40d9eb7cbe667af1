"""Framework adapters for Goofer: ``goofer_integrations.flask`` and ``goofer_integrations.django``."""
