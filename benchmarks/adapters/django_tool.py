"""Django: one app whose migrations are ``RunSQL(<up>, reverse_sql=<down>)``, chained.

The project has that one app and nothing else (no auth, no contenttypes), so the timings are
Django's migration machinery alone. MariaDB goes through PyMySQL's ``install_as_MySQLdb``.
"""

from __future__ import annotations

from .base import (
    APPLY,
    NOOP,
    PYTHON,
    REVERT,
    REVERT_STEPS,
    STARTUP,
    STATUS,
    Tool,
    Workspace,
)

_MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
{mysql_shim}    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

_MYSQL_SHIM = """\
    import pymysql

    pymysql.install_as_MySQLdb()
"""

_SETTINGS = """\
SECRET_KEY = "benchmark-only"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["benchapp"]
DATABASES = {{"default": {database!r}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""

_MIGRATION = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = {dependencies!r}
    operations = [migrations.RunSQL({up!r}, reverse_sql={down!r})]
"""


def module_names(ws: Workspace) -> list[str]:
    """Return the migration module names, ``0001_<name>`` and so on."""
    width = max(4, len(str(len(ws.migrations))))
    return [f"{m.number:0{width}d}_{m.name}" for m in ws.migrations]


class Django(Tool):
    """``manage.py migrate benchapp`` / ``showmigrations benchapp`` / ``migrate benchapp <N-10>``.

    (E) is ``manage.py help``: Django's start-up with the project's settings loaded.
    """

    name = "django"
    bookkeeping = ("django_migrations",)
    requires = ("django",)

    def prepare(self, ws: Workspace) -> None:
        shim = _MYSQL_SHIM if ws.dialect == "mysql" else ""
        ws.write("manage.py", _MANAGE.format(mysql_shim=shim))
        ws.write("benchsite/__init__.py", "")
        ws.write("benchsite/settings.py", _SETTINGS.format(database=ws.target.django_settings()))
        ws.write("benchapp/__init__.py", "")
        ws.write("benchapp/migrations/__init__.py", "")
        previous: list[tuple[str, str]] = []
        for m, module in zip(ws.migrations, module_names(ws), strict=True):
            ws.write(
                f"benchapp/migrations/{module}.py",
                _MIGRATION.format(
                    dependencies=previous, up=m.up[ws.dialect], down=m.down[ws.dialect]
                ),
            )
            previous = [("benchapp", module)]

    def command(self, scenario: str, ws: Workspace) -> list[str]:
        manage = [PYTHON, "manage.py"]
        if scenario == STARTUP:
            return [*manage, "help"]
        target = module_names(ws)[-REVERT_STEPS - 1]
        return (
            manage
            + {
                APPLY: ["migrate", "benchapp"],
                NOOP: ["migrate", "benchapp"],
                STATUS: ["showmigrations", "benchapp"],
                REVERT: ["migrate", "benchapp", target],
            }[scenario]
        )
