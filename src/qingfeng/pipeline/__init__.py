"""The message pipeline: the engine (detect, context, merge, threshold), the context stage, archive scanning
in chunks, and the scan's statistics."""
