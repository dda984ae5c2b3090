"""Admin: promotions."""
