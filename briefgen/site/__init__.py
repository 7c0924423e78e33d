"""The site: indexes, page plans, the theme, search, feed, rendering every file."""
