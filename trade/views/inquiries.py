"""API: inquiries (routes collected by trade/urls.py)."""

urlpatterns: list = []
