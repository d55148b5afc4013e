"""Pure rules over plain data: no HTTP, no boto3, no marshmallow. The clock is injected."""
