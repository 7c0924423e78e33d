"""The built-in theme. This marker makes the folder the package `briefgen.templates`, so
the theme ships inside the wheel; a site's own templates/ needs no such file."""
