"""Excel entry forms: writing them from the framework and importing them back as records."""
