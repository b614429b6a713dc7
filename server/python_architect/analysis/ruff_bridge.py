"""Placeholder: being written (owner fills this in)."""
