"""Builds the kerasspec corpus from real Keras releases (see ``python -m generator --help``)."""
