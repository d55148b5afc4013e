"""The partner API: powertools resolver, routes per resource, auth and error mapping."""
