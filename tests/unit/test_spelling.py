"""Messages name commands and settings the way the front-end the user typed spells them."""

from __future__ import annotations

from goofer_core.cli.spelling import GOOFER, Spelling

PART_WAY = (
    "20240102000000_breaks: failed part-way; repair the database by hand, then run "
    "'goofer resolve 20240102000000 --applied' or '--rolled-back'"
)
NO_ENTITIES = (
    "no entities are registered: set --models / GOOFER_MODELS or --entities / GOOFER_ENTITIES, "
    "or run 'goofer generate --empty NAME' for a pair to fill by hand"
)


def test_the_goofer_command_line_keeps_the_engines_words():
    assert GOOFER.respell(PART_WAY) == PART_WAY
    assert GOOFER.respell(NO_ENTITIES) == NO_ENTITIES


def test_flask_names_its_commands_and_keeps_flags_and_config_keys():
    flask = Spelling("flask goofer {command}{args}")
    assert flask.respell(PART_WAY).endswith(
        "then run 'flask goofer resolve 20240102000000 --applied' or '--rolled-back'"
    )
    assert "--entities / GOOFER_ENTITIES" in flask.respell(NO_ENTITIES)


def test_django_names_manage_py_the_alias_and_the_settings():
    django = Spelling(
        "python manage.py goofer_{command}{args} --database reports",
        (("GOOFER_MODELS", "settings.GOOFER['MODELS']"),),
    )
    assert "'python manage.py goofer_resolve 20240102000000 --applied --database reports'" in (
        django.respell(PART_WAY)
    )
    assert django.respell(NO_ENTITIES) == (
        "no entities are registered: set settings.GOOFER['MODELS'] or GOOFER_ENTITIES, or run "
        "'python manage.py goofer_generate --empty NAME --database reports' for a pair to fill "
        "by hand"
    )
