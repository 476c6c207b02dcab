"""The input side: YAML reading, locating, frameworks, checks, values, workspace loading, scaffolding."""
