"""``python -m goofer_core.cli``: the click command line, without the console script's fast path."""

from .click_app import main

main()
