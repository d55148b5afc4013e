"""Lambda entry points, a few lines each; the SAM template names them as `Handler`."""
