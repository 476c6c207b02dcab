"""Results travelling up the party hierarchy: reading exports, checking documents, rolling up."""
