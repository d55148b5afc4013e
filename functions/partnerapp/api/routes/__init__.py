"""One router per resource; `partnerapp.api.app` includes them all."""
