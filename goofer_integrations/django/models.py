"""No models: this module exists because Django sends ``post_migrate`` only to apps that have one.

Goofer applies its migrations to test databases from a ``post_migrate`` handler (see
``testdb.py``).
"""
