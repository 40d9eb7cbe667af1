"""``check`` and ``generate`` from ORM models: Goofer against Alembic and Django, side by side.

    python -m benchmarks.models_check [--db sqlite,postgresql] [--n 50,200] [--runs 5]

For each N, the same N tables are declared as SQLAlchemy models and as Django models (an id, a
name, an amount, a timestamp, a foreign key to the table before). Each tool first gets its own
database with its own migrations applied (not timed); then, with nothing changed, each command
that answers "do the models match the migrations?" is run as a whole process, ``--runs`` times
after a warm-up. Printed: the median; the same less the ORM's floor (the time to start Python
and import the models, ``floor`` rows: what every tool here pays before its own work); the
ratio to the peer reading the same ORM (``alembic check`` for SQLAlchemy models,
``makemigrations --check`` for Django's), and to the faster of the two peers:

- goofer: ``goofer --models models_sa:Base check`` and ``generate again`` (SQLAlchemy models);
  ``manage.py goofer_check`` (Django models, GOOFER["MODELS"]);
- alembic: ``alembic check`` and ``alembic revision --autogenerate`` (the revision it writes is
  deleted after each run, untimed);
- django: ``manage.py makemigrations --check --dry-run``.

Goofer's target (issue 13): its ``check`` at most half the faster peer's on SQLite, and no
slower than it on PostgreSQL, where Goofer builds two scratch databases per check. The floor
rows show how much of that is in Goofer's hands: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from .adapters.base import console_script
from .databases import Target, target_for
from .measure import run_process

_SA_HEADER = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass
"""
_SA_MODEL = """

class Model{i}(Base):
    __tablename__ = "bench_{i}"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    amount: Mapped[float] = mapped_column(sa.Numeric(10, 2), server_default="0")
    created: Mapped[sa.DateTime] = mapped_column(sa.DateTime, server_default=sa.func.now())
{ref}"""
_DJ_MODEL = """

class Model{i}(models.Model):
    name = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2, db_default=0)
    created = models.DateTimeField(db_default=Now())
{ref}
    class Meta:
        db_table = "bench_{i}"
"""
_DJ_SETTINGS = """\
import os
SECRET_KEY = "bench"
INSTALLED_APPS = ["goofer_integrations.django", "benchapp"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = False
DATABASES = {{"default": {database!r}}}
GOOFER = {{"MODELS": ["benchapp"], "MIGRATIONS_DIR": {migrations!r}, "SYSTEM_CHECK": False,
          "APPLY_TO_TEST_DATABASES": False}}
{mysql}"""
_ALEMBIC_INI = "[alembic]\nscript_location = %(here)s/alembic_env\nsqlalchemy.url = {url}\n"
_ALEMBIC_ENV = """\
from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from models_sa import Base

engine = create_engine(context.config.get_main_option("sqlalchemy.url"), poolclass=NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
"""
_ALEMBIC_MAKO = '''"""${message}"""
from alembic import op
import sqlalchemy as sa
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None
def upgrade():
    ${upgrades if upgrades else "pass"}
def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def write_project(root: Path, n: int, targets: dict[str, Target]) -> None:
    """Write the SQLAlchemy models, the Alembic environment and the Django project."""
    sa = [_SA_HEADER]
    dj = ["from django.db import models\nfrom django.db.models.functions import Now\n"]
    for i in range(n):
        sa_ref = (
            (f'    ref_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bench_{i - 1}.id"))\n')
            if i
            else ""
        )
        dj_ref = (
            (f'    ref = models.ForeignKey("Model{i - 1}", null=True, on_delete=models.CASCADE)\n')
            if i
            else ""
        )
        sa.append(_SA_MODEL.format(i=i, ref=sa_ref))
        dj.append(_DJ_MODEL.format(i=i, ref=dj_ref))
    (root / "models_sa.py").write_text("".join(sa))
    (root / "benchapp").mkdir()
    (root / "benchapp" / "__init__.py").write_text("")
    (root / "benchapp" / "models.py").write_text("".join(dj))
    (root / "benchapp" / "migrations").mkdir()
    (root / "benchapp" / "migrations" / "__init__.py").write_text("")
    for tool in ("django", "goofer-django"):
        folder = root / tool.replace("-", "_") / "benchsite"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        mysql = (
            "import pymysql\npymysql.install_as_MySQLdb()\n"
            if (targets[tool].dialect == "mysql")
            else ""
        )
        (folder / "settings.py").write_text(
            _DJ_SETTINGS.format(
                database=targets[tool].django_settings(),
                migrations=str(root / "goofer_django_migrations"),
                mysql=mysql,
            )
        )
    (root / "alembic.ini").write_text(_ALEMBIC_INI.format(url=targets["alembic"].url("sqlalchemy")))
    (root / "alembic_env" / "versions").mkdir(parents=True)
    (root / "alembic_env" / "env.py").write_text(_ALEMBIC_ENV)
    (root / "alembic_env" / "script.py.mako").write_text(_ALEMBIC_MAKO)


def commands(root: Path, targets: dict[str, Target]) -> dict[str, tuple[list[str], str]]:
    """Return {label: (argv, settings module or "")} of every command timed."""
    goofer = [
        console_script("goofer"),
        "--database-url",
        targets["goofer"].url(),
        "--dir",
        str(root / "goofer_migrations"),
        "--models",
        "models_sa:Base",
    ]
    alembic = console_script("alembic")
    manage = [sys.executable, "-m", "django"]
    return {
        "floor: import the SQLAlchemy models": ([sys.executable, "-c", "import models_sa"], ""),
        "floor: django.setup() and its models": (
            [sys.executable, "-c", "import django; django.setup(); import benchapp.models"],
            "django",
        ),
        "goofer check": ([*goofer, "check"], ""),
        "goofer generate (no change)": ([*goofer, "generate", "again"], ""),
        "goofer_check (Django models)": ([*manage, "goofer_check"], "goofer_django"),
        "alembic check": ([alembic, "check"], ""),
        "alembic revision --autogenerate": (
            [alembic, "revision", "--autogenerate", "-m", "again"],
            "",
        ),
        "makemigrations --check": ([*manage, "makemigrations", "--check", "--dry-run"], "django"),
    }


def run(root: Path, argv: list[str], settings: str) -> float:
    """Run one command in ``root`` (with the Django project ``settings`` if given); time it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOFER_", "DJANGO_"))}
    paths = [str(root / settings), str(root)] if settings else [str(root)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    sample = run_process(argv, root, env)
    if sample.exit_code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {sample.exit_code}: {sample.stderr[-500:]}")
    for revision in (root / "alembic_env" / "versions").glob("*_again.py"):
        revision.unlink()
    return sample.seconds


def prepare(root: Path, targets: dict[str, Target]) -> None:
    """Give each tool its migrations and apply them (not timed)."""
    for target in targets.values():
        target.reset()
    cmd = commands(root, targets)
    goofer = cmd["goofer check"][0][:-1]
    run(root, [*goofer, "generate", "initial"], "")
    run(root, [*goofer, "up"], "")
    run(root, [console_script("alembic"), "revision", "--autogenerate", "-m", "initial"], "")
    run(root, [console_script("alembic"), "upgrade", "head"], "")
    run(root, [sys.executable, "-m", "django", "makemigrations", "benchapp"], "django")
    run(root, [sys.executable, "-m", "django", "migrate"], "django")
    run(root, [sys.executable, "-m", "django", "goofer_generate", "initial"], "goofer_django")
    run(root, [sys.executable, "-m", "django", "goofer_up"], "goofer_django")


def report(dialect: str, n: int, medians: dict[str, float]) -> None:
    """Print one table row per command timed."""
    sa_floor = medians["floor: import the SQLAlchemy models"]
    dj_floor = medians["floor: django.setup() and its models"]
    sa_peer, dj_peer = medians["alembic check"], medians["makemigrations --check"]
    for label, seconds in medians.items():
        django_side = "Django" in label or "makemigrations" in label or "django" in label
        floor, peer = (dj_floor, dj_peer) if django_side else (sa_floor, sa_peer)
        print(
            f"| {dialect} | {n} | {label} | {seconds:.3f} | {seconds - floor:.3f} "
            f"| {seconds / peer:.2f} | {seconds / min(sa_peer, dj_peer):.2f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--n", default="50,200")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| db | N | command | median s | less floor s | x same-ORM peer | x faster peer |")
    print("|---|--:|---|--:|--:|--:|--:|")
    for dialect in args.db.split(","):
        for n in (int(x) for x in args.n.split(",")):
            with tempfile.TemporaryDirectory(prefix="goofer_models_bench_") as tmp:
                root = Path(tmp)
                tools = ("goofer", "goofer-django", "alembic", "django")
                targets = {t: target_for(dialect, f"models_{t}", root) for t in tools}
                write_project(root, n, targets)
                try:
                    prepare(root, targets)
                    timed = commands(root, targets)
                    medians = {}
                    for label, (argv, settings) in timed.items():
                        run(root, argv, settings)  # warm-up: .pyc files, caches
                        medians[label] = statistics.median(
                            run(root, argv, settings) for _ in range(args.runs)
                        )
                    report(dialect, n, medians)
                finally:
                    for target in targets.values():
                        target.drop()


if __name__ == "__main__":
    main()
