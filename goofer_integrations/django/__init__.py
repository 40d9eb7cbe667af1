"""Goofer for Django: ``manage.py goofer_*`` commands, boot-time ``apply()``, test databases.

Add ``"goofer_integrations.django"`` to ``INSTALLED_APPS`` (its app label is ``goofer``) and,
optionally, a ``GOOFER`` dict to the settings; see the README's Django section.
"""

from __future__ import annotations

from .boot import apply

__all__ = ["apply"]
