"""API: promotions (routes collected by trade/urls.py)."""

urlpatterns: list = []
