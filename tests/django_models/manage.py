#!/usr/bin/env python
"""manage.py of the Django project whose models are Goofer's entities (tests only)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modelsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
