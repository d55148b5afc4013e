"""The SAM template: reading it, its stacks per region, its transform and the build check."""
