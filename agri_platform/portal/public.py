"""Pages anyone may open without an account: the base view and its lookup throttle.

A page that looks something up by what a visitor types (a certificate number, a document's
digest) sets `throttled = True`: every address gets the public-lookup rate
(`THROTTLE_RATE_PUBLIC_LOOKUP`, the same bucket as the API's public lookups), then a 429 page.
"""

from django.shortcuts import render
from django.views.generic import TemplateView

from agri_platform.api.throttling import PublicLookupThrottle


def lookup_allowed(request) -> bool:
    """Counts this request against the address's public-lookup rate; False once it is spent."""
    return PublicLookupThrottle().allow_request(request, None)


def too_many_lookups(request):
    return render(request, "portal/too_many_lookups.html", status=429)


class PublicPage(TemplateView):
    """A page for anyone (signed in or not), in the portal's look without its navigation
    (templates extend portal/public_base.html)."""

    template_name = "portal/placeholder.html"
    extra_context = {"base_template": "portal/public_base.html"}
    throttled = False
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if self.throttled and not lookup_allowed(request):
            return too_many_lookups(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        return context
