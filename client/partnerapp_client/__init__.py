"""The partner's own command-line client of the Partner API (`partnerapp-client`).

It runs on a partner's machine and talks to the API over HTTP only, with the partner's API
token: no AWS access, and nothing of it is deployed (the Lambda package is `functions/`)."""
