"""DynamoDB repositories: they hide keys, expressions and which regional table holds what."""
