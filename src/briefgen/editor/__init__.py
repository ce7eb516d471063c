"""The editor's loop: scaffold a brief, preview it (and watch), send a test email."""
