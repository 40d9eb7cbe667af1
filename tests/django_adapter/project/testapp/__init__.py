"""An app whose Django-runner test checks what the test database holds."""
