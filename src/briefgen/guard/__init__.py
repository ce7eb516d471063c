"""The guard: rules every rendered output must obey, and the language lint."""
