from legal.choices import LegalStatus
from tests.isolation import builder
from tests.legal.factories import LegalAttachmentFactory, LegalRequestFactory


@builder
def legal_requests(world):
    """A's case is assigned to partner A's firm, B's to partner B's."""
    mine = LegalRequestFactory(
        enterprise=world.enterprise_a, assigned_firm=world.partner_a, status=LegalStatus.IN_PROGRESS
    )
    theirs = LegalRequestFactory(
        enterprise=world.enterprise_b, assigned_firm=world.partner_b, status=LegalStatus.IN_PROGRESS
    )
    world.add(mine, theirs)
    world.add(LegalAttachmentFactory(request=mine), LegalAttachmentFactory(request=theirs))
