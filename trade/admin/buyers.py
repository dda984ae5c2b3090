"""Admin: buyers."""
