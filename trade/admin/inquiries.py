"""Admin: inquiries."""
