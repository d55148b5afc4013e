"""The help center's browser side that Lambda serves: page headers, the form's rules and
parsing, and the Jinja templates shared with the static site builder (one source)."""
