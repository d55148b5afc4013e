"""Partner App: the code deployed to AWS Lambda (the SAM template's CodeUri)."""
