"""The Qairon version, sent in every response's ``Qairon-Version`` header."""
__version__ = "0.1.0"
