"""The located YAML reader: declarations, their schema and their docs."""
