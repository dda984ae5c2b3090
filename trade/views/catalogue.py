"""API: catalogue (routes collected by trade/urls.py)."""

urlpatterns: list = []
