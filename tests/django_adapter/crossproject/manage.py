#!/usr/bin/env python
"""The test project's manage.py (settings: crosssite.settings, configured by CROSS_* vars)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crosssite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
