"""Use cases that combine the domain rules with the store and the mail (no HTTP here)."""
