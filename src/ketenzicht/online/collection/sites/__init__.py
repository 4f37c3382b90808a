"""Site profiles (YAML data) and, for sites that need code, one adapter class per file."""
