"""Invitation emails: rendered from Jinja templates (autoescaped) and sent through SESv2."""
