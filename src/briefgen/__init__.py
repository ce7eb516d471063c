"""briefgen: one sourced brief in, a balanced email, captions and citations out."""

__version__ = "0.1.0"
