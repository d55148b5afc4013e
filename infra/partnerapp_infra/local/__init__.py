"""Running the handlers on this machine: the dev server, the gateway, the AWS emulator and
the faults it can inject, the local outbox."""
