from legal.choices import LegalStatus
from tests.isolation import builder
from tests.legal.factories import LegalRequestFactory


@builder
def legal_requests(world):
    """A's case is assigned to partner A's firm, B's to partner B's."""
    world.add(
        LegalRequestFactory(
            enterprise=world.enterprise_a,
            assigned_firm=world.partner_a,
            status=LegalStatus.IN_PROGRESS,
        ),
        LegalRequestFactory(
            enterprise=world.enterprise_b,
            assigned_firm=world.partner_b,
            status=LegalStatus.IN_PROGRESS,
        ),
    )
