"""What runs around the Lambda functions: the dev server and its API Gateway adapter, the
local AWS emulator bootstrap, the admin CLI and the benchmark. Never deployed."""
