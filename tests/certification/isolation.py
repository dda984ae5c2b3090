"""Isolation pairs for the models the certification routes serve.

Applications, documents and certificates belong to an enterprise: A's are visible to A, B's never.
Schemes and market requirements are catalogue data every signed-in caller reads; what a non-staff
caller must never see there are the retired (inactive) rows, so "theirs" is an inactive row.
"""

from tests.certification.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    CertificateFactory,
    MarketRequirementFactory,
    SchemeFactory,
)
from tests.isolation import builder


@builder
def certification(world):
    application_a = ApplicationFactory(enterprise=world.enterprise_a)
    application_b = ApplicationFactory(enterprise=world.enterprise_b)
    world.add(application_a, application_b)
    world.add(
        ApplicationDocumentFactory(application=application_a),
        ApplicationDocumentFactory(application=application_b),
    )
    world.add(
        CertificateFactory(enterprise=world.enterprise_a),
        CertificateFactory(enterprise=world.enterprise_b),
    )
    world.add(SchemeFactory(), SchemeFactory(is_active=False))
    world.add(MarketRequirementFactory(), MarketRequirementFactory(is_active=False))
