"""The web shell: dependencies, templating, middleware and error pages."""
