"""Database backends of the platform (DATABASES' ENGINE)."""
