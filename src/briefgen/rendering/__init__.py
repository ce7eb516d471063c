"""Rendering: the render context, the sandboxed templates, and every output in memory."""
