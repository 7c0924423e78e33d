"""Writing the output: the build lock, staging, the swap, the output sinks."""
