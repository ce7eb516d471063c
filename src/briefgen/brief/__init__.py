"""The brief: YAML with positions → models → cross-references → source texts."""
