"""The lerum-flow command line."""
