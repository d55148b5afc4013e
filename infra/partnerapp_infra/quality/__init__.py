"""Measuring the system under load: the bench, the soak and the mutation scores."""
