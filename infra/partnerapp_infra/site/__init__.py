"""The help-center site: its build, the API reference, search and the articles' facts."""
