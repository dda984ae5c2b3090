"""Market readiness: what a destination requires of an enterprise's products, and what is met.

This module is the contract between certification and logistics: `shipments/{id}/dispatch/` calls
`check_readiness` with the shipment's enterprise, products, destination, date and the document types
it holds, and refuses to dispatch while any item is missing. The certification issue implements it
over the market-requirement table and the enterprise's certificates.

Rules (see docs/certification.md):
- A requirement row applies when its destination (the country itself, a group in `Country.groups`
  or ANY) and its product filter (category and/or HS prefix) match at least one of the products.
- A scheme requirement is met by an active certificate of the enterprise for that scheme whose
  scope covers every product it applies to (an empty product scope covers the whole enterprise) and
  that is valid from today through `on_date`. A certificate valid today that ends before `on_date` is
  "expiring"; anything else is "missing".
- A document requirement is met when its DocumentType is in `documents_on_hand`.
- A requirement's `effect` says what an unmet one means: "required" blocks dispatch,
  "tariff_preference" (Form E, RCEP origin) only warns: the goods may leave without the lower tariff.
- Rows sharing an `alternative_group` are alternatives: the group appears once, as its best
  alternative (met, else expiring, else missing with every alternative listed).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

STATUS_RANK = {"met": 0, "expiring": 1, "missing": 2}
DISCLAIMER = _(
    "Market requirements are platform data kept current by staff, not legal advice: confirm with "
    "the importing country's authority or your customs broker before shipping."
)


@dataclass(frozen=True)
class RequirementCheck:
    kind: str  # "scheme" (an enterprise certificate) or "document" (a shipment document)
    code: str  # the scheme code, or a DocumentType value
    name: str
    status: str  # "met", "expiring" (valid now, expires before on_date) or "missing"
    certificate_id: int | None = None
    valid_until: date | None = None
    note: str = ""
    requirement_id: int | None = None
    # Codes of the alternatives when the requirement is "one of" several (alternative_group).
    alternatives: tuple[str, ...] = ()
    product_ids: tuple[int, ...] = ()
    effect: str = "required"  # RequirementEffect: "required" or "tariff_preference"
    certificate_number: str = ""  # filled in by the readiness query (selectors.readiness_for)

    @property
    def is_met(self) -> bool:
        return self.status == "met"

    @property
    def blocks_dispatch(self) -> bool:
        return self.effect == "required" and not self.is_met

    @property
    def explanation(self) -> str:
        """What a person reads about this check, in the active language: held by what, expiring
        when, or what is missing, and whether it only claims a lower tariff."""
        text = _EXPLAINERS[(self.kind, self.status)](self)
        if self.effect == "tariff_preference" and not self.is_met:
            text = gettext("%(text)s It only claims a lower tariff: dispatch is not blocked.") % {
                "text": text
            }
        return text

    @property
    def certificate(self) -> dict | None:
        """The certificate that meets (or nearly meets) the requirement, as the answer cites it."""
        if not self.certificate_id:
            return None
        return {
            "id": self.certificate_id,
            "number": self.certificate_number,
            "valid_until": self.valid_until,
        }


def _scheme_met(check: RequirementCheck) -> str:
    values = {"name": check.name, "number": check.certificate_number}
    values["date"] = date_format(check.valid_until) if check.valid_until else ""
    if check.certificate_number:
        return gettext("Held: certificate %(number)s (%(name)s), valid until %(date)s.") % values
    return gettext("Held: a certificate of %(name)s, valid until %(date)s.") % values


def _scheme_expiring(check: RequirementCheck) -> str:
    values = {"name": check.name, "number": check.certificate_number}
    values["date"] = date_format(check.valid_until) if check.valid_until else ""
    if check.certificate_number:
        return (
            gettext(
                "Expiring: certificate %(number)s (%(name)s) ends on %(date)s, before the "
                "shipping date; renew it in time."
            )
            % values
        )
    return (
        gettext(
            "Expiring: the certificate of %(name)s ends on %(date)s, before the shipping date; "
            "renew it in time."
        )
        % values
    )


def _scheme_missing(check: RequirementCheck) -> str:
    return gettext(
        "Missing: no certificate of %(name)s in force covers these products; apply for one."
    ) % {"name": check.name}


def _document_met(check: RequirementCheck) -> str:
    return gettext("Held: the shipment carries the %(name)s.") % {"name": check.name}


def _document_missing(check: RequirementCheck) -> str:
    return gettext("Missing: the shipment needs the %(name)s before dispatch.") % {
        "name": check.name
    }


_EXPLAINERS = {
    ("scheme", "met"): _scheme_met,
    ("scheme", "expiring"): _scheme_expiring,
    ("scheme", "missing"): _scheme_missing,
    ("document", "met"): _document_met,
    ("document", "expiring"): _document_met,  # documents do not expire; kept total
    ("document", "missing"): _document_missing,
}


@dataclass(frozen=True)
class Readiness:
    """The answer to a readiness query (`GET certification/readiness/`)."""

    enterprise_id: int
    product_ids: list[int]
    destination: dict  # {code, name_en, groups} of the country
    on_date: date
    checks: list[RequirementCheck]
    disclaimer: str = DISCLAIMER

    @property
    def ready(self) -> bool:
        return not any(check.blocks_dispatch for check in self.checks)

    @property
    def warnings(self) -> int:
        return sum(1 for c in self.checks if not c.is_met and not c.blocks_dispatch)


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def _check_scheme(requirement, products, certificates, on_date: date, today: date):
    """Best certificate for every product this scheme requirement applies to."""
    best = None  # (rank, certificate)
    for certificate in certificates:
        if certificate.scheme_id != requirement.scheme_id:
            continue
        if not (certificate.issue_date <= today <= certificate.expiry_date):
            continue
        scope = {p.pk for p in certificate.scope_products.all()}
        if scope and not all(p.pk in scope for p in products):
            continue
        rank = 0 if certificate.expiry_date >= on_date else 1
        if best is None or (rank, -certificate.expiry_date.toordinal()) < (
            best[0],
            -best[1].expiry_date.toordinal(),
        ):
            best = (rank, certificate)
    if best is None:
        return "missing", None
    return ("met" if best[0] == 0 else "expiring"), best[1]


def _evaluate(requirement, products, certificates, documents, on_date, today) -> RequirementCheck:
    applicable = [p for p in products if requirement.applies_to_product(p)]
    base = {
        "kind": requirement.requirement_kind,
        "code": requirement.requirement_code,
        "name": requirement.requirement_name,
        "note": requirement.note,
        "requirement_id": requirement.pk,
        "product_ids": tuple(p.pk for p in applicable),
        "effect": requirement.effect,
    }
    if requirement.scheme_id:
        status, certificate = _check_scheme(requirement, applicable, certificates, on_date, today)
        return RequirementCheck(
            status=status,
            certificate_id=certificate.pk if certificate else None,
            valid_until=certificate.expiry_date if certificate else None,
            **base,
        )
    met = documents is not None and requirement.document_type in documents
    return RequirementCheck(status="met" if met else "missing", **base)


@dataclass(frozen=True)
class ReadinessInputs:
    """What `check_readiness` reads from the database, read once to check many shipments of one
    enterprise (the portal's home page) in a constant number of queries."""

    requirements: list
    certificates: list


def _active_requirements():
    from .models import MarketRequirement

    return MarketRequirement.objects.filter(is_active=True).select_related("scheme").order_by("id")


def _active_certificates(enterprise, scheme_ids=None):
    from .choices import CertificateStatus
    from .models import Certificate

    certificates = Certificate.objects.filter(
        enterprise=enterprise, status=CertificateStatus.ACTIVE
    ).prefetch_related("scope_products")
    if scheme_ids is not None:
        certificates = certificates.filter(scheme_id__in=scheme_ids)
    return certificates


def readiness_inputs(*, enterprise) -> ReadinessInputs:
    return ReadinessInputs(
        requirements=list(_active_requirements()),
        certificates=list(_active_certificates(enterprise)),
    )


def check_readiness(
    *,
    enterprise,
    products: Iterable,
    destination,
    on_date: date,
    documents_on_hand: Iterable[str] | None = None,
    inputs: ReadinessInputs | None = None,
) -> list[RequirementCheck]:
    """Each requirement for shipping `products` of `enterprise` to `destination` (a Country) on
    `on_date`. Document requirements are met by `documents_on_hand` (DocumentType values); when it is
    None, document requirements are listed as missing (informational readiness query). `inputs`:
    the requirements and certificates already read (`readiness_inputs`)."""
    products = list(products)
    if not products:
        return []
    documents = None if documents_on_hand is None else {str(d) for d in documents_on_hand}
    today = _today()
    requirements = [
        requirement
        for requirement in (inputs.requirements if inputs else _active_requirements())
        if requirement.applies_to_destination(destination)
        and any(requirement.applies_to_product(p) for p in products)
    ]
    scheme_ids = {r.scheme_id for r in requirements if r.scheme_id}
    if inputs is not None:
        certificates = [c for c in inputs.certificates if c.scheme_id in scheme_ids]
    else:
        certificates = list(_active_certificates(enterprise, scheme_ids)) if scheme_ids else []

    checks: list[RequirementCheck] = []
    groups: dict[str, list[RequirementCheck]] = {}
    seen: set[tuple[str, str]] = set()
    for requirement in requirements:
        check = _evaluate(requirement, products, certificates, documents, on_date, today)
        if requirement.alternative_group:
            groups.setdefault(requirement.alternative_group, []).append(check)
            if len(groups[requirement.alternative_group]) == 1:
                checks.append(check)  # placeholder keeps the group's position
            continue
        # the same scheme/document required by several rows (e.g. a country and its group, or for
        # different products) is listed once, with the worst result
        key = (check.kind, check.code)
        if key in seen:
            index = next(i for i, c in enumerate(checks) if (c.kind, c.code) == key)
            if STATUS_RANK[check.status] > STATUS_RANK[checks[index].status]:
                checks[index] = check
            continue
        seen.add(key)
        checks.append(check)

    result = []
    for check in checks:
        requirement = next((r for r in requirements if r.pk == check.requirement_id), None)
        group = requirement.alternative_group if requirement else ""
        if not group:
            result.append(check)
            continue
        alternatives = groups[group]
        best = min(alternatives, key=lambda c: STATUS_RANK[c.status])
        codes = tuple(dict.fromkeys(c.code for c in alternatives))
        if best.status == "missing":
            best = RequirementCheck(
                kind=best.kind,
                code=best.code,
                name=gettext(" or ").join(dict.fromkeys(c.name for c in alternatives)),
                status="missing",
                note=best.note,
                requirement_id=best.requirement_id,
                product_ids=best.product_ids,
                alternatives=codes,
                effect=best.effect,
            )
        else:
            best = RequirementCheck(**{**best.__dict__, "alternatives": codes})
        result.append(best)
    return result
