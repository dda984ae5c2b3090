"""Isolation pairs for the models the certification routes serve.

Applications, documents and certificates belong to an enterprise and are routed to the
certification body of their scheme: A's are of a scheme certified by partner A, B's of one certified
by partner B (submitted, since a body never sees a draft). Schemes and market requirements are
catalogue data every signed-in caller reads; what a non-staff caller must never see there are the
retired (inactive) rows, so "theirs" is an inactive row.
"""

from tests.certification.factories import (
    ApplicationDocumentFactory,
    CertificateFactory,
    MarketRequirementFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.isolation import builder


@builder
def certification(world):
    scheme_a = SchemeFactory(certification_body=world.partner_a)
    scheme_b = SchemeFactory(certification_body=world.partner_b)
    application_a = SubmittedApplicationFactory(enterprise=world.enterprise_a, scheme=scheme_a)
    application_b = SubmittedApplicationFactory(enterprise=world.enterprise_b, scheme=scheme_b)
    world.add(application_a, application_b)
    world.add(
        ApplicationDocumentFactory(application=application_a),
        ApplicationDocumentFactory(application=application_b),
    )
    world.add(
        CertificateFactory(enterprise=world.enterprise_a, scheme=scheme_a),
        CertificateFactory(enterprise=world.enterprise_b, scheme=scheme_b),
    )
    world.add(SchemeFactory(), SchemeFactory(is_active=False))
    world.add(MarketRequirementFactory(), MarketRequirementFactory(is_active=False))
