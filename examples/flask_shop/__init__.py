"""A small Flask shop whose schema Goofer migrates: ``flask --app examples/flask_shop run``.

The database URL comes from the ``SHOP_DATABASE_URL`` environment variable, else a SQLite file
in the instance folder. The migrations are the ``migrations/`` folder beside this file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from goofer_integrations.flask import Goofer

goofer = Goofer()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the shop app and bring its database schema up to date."""
    app = Flask(__name__)
    url = os.environ.get("SHOP_DATABASE_URL")
    if url is None:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "shop.db")
    app.config["GOOFER_DATABASE_URL"] = url
    app.config["GOOFER_MIGRATIONS_DIR"] = "migrations"  # the default, relative to this package
    app.config.update(test_config or {})
    app.logger.setLevel(logging.INFO)  # show each migration applied on boot

    goofer.init_app(app)
    goofer.apply()

    from . import shop

    app.register_blueprint(shop.blueprint)
    return app
