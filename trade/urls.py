"""The trade API under /api/v1/: catalogue/, buyers/, inquiries/, quotes/, buyer-blocks/,
promotions/ (promotion events: /api/v1/events/ is the domain event log). Each area serves its
routes from trade/views/<area>.py."""

from .views import buyers, catalogue, inquiries, promotions

urlpatterns = [
    *catalogue.urlpatterns,
    *buyers.urlpatterns,
    *inquiries.urlpatterns,
    *promotions.urlpatterns,
]
