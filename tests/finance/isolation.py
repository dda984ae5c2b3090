from finance.choices import RequestStatus
from tests.finance.factories import FinancingDocumentFactory, FinancingOfferFactory, routed_request
from tests.isolation import builder


@builder
def financing(world):
    """A's request is routed to partner A (with A's offer); B's to partner B (with B's offer)."""
    mine = routed_request(
        enterprise=world.enterprise_a, partners=[world.partner_a], status=RequestStatus.OFFERED
    )
    theirs = routed_request(
        enterprise=world.enterprise_b, partners=[world.partner_b], status=RequestStatus.OFFERED
    )
    world.add(mine, theirs)
    world.add(
        FinancingOfferFactory(request=mine, partner=world.partner_a),
        FinancingOfferFactory(request=theirs, partner=world.partner_b),
    )
    world.add(FinancingDocumentFactory(request=mine), FinancingDocumentFactory(request=theirs))
