"""Year-end reports (Excel, Markdown, Word) written from scoring results only."""
