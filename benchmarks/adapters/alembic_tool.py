"""Alembic: one revision file per migration, each ``op.execute(<the dialect's SQL>)``.

``env.py`` is the minimal online one, with ``transaction_per_migration=True`` so that, like the
floor, every migration commits on its own. Status is ``alembic history --indicate-current``
(Alembic's listing of every revision with the current one marked).
"""

from __future__ import annotations

import hashlib

from .base import (
    APPLY,
    NOOP,
    REVERT,
    REVERT_STEPS,
    STARTUP,
    STATUS,
    Tool,
    Workspace,
    console_script,
)

_INI = """\
[alembic]
script_location = %(here)s/alembic_env
sqlalchemy.url = {url}
"""

_ENV = """\
from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

engine = create_engine(context.config.get_main_option("sqlalchemy.url"), poolclass=NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
"""

_REVISION = '''\
"""{name}

Revision ID: {revision}
Revises: {down_revision}
"""
from alembic import op

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade():
    op.execute({up!r})


def downgrade():
    op.execute({down!r})
'''


def revision_id(label: str) -> str:
    """Return a stable 12-hex-digit revision id, shaped like the ones Alembic generates."""
    return hashlib.md5(label.encode()).hexdigest()[:12]


class Alembic(Tool):
    """``alembic upgrade head`` / ``history --indicate-current`` / ``downgrade -10``."""

    name = "alembic"
    bookkeeping = ("alembic_version",)
    requires = ("alembic", "sqlalchemy")

    def prepare(self, ws: Workspace) -> None:
        ws.write("alembic.ini", _INI.format(url=ws.target.url("sqlalchemy")))
        ws.write("alembic_env/env.py", _ENV)
        previous = None
        for m in ws.migrations:
            revision = revision_id(m.label)
            ws.write(
                f"alembic_env/versions/{revision}_{m.name}.py",
                _REVISION.format(
                    name=m.name,
                    revision=revision,
                    down_revision=previous,
                    up=m.up[ws.dialect],
                    down=m.down[ws.dialect],
                ),
            )
            previous = revision

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        alembic = console_script("alembic")
        if scenario == STARTUP:
            return [alembic, "--help"]
        return [alembic, "-c", "alembic.ini"] + {
            APPLY: ["upgrade", "head"],
            NOOP: ["upgrade", "head"],
            STATUS: ["history", "--indicate-current"],
            REVERT: ["downgrade", f"-{REVERT_STEPS}"],
        }[scenario]
