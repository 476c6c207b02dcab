"""What the pipeline produces: a scored workspace, its JSON/table views and the explain trace."""
