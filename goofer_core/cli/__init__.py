"""The command line: every command described once, read by each front-end.

Only ``click_app`` imports click; the ``goofer`` console script (``console``) parses boot-time
invocations without it.
"""
