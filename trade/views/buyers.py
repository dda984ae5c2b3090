"""API: buyers (routes collected by trade/urls.py)."""

urlpatterns: list = []
