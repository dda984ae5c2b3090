"""Seed catalogue: certification schemes and market requirements, from DOMAIN.md.

These are starting values that staff keep current in the admin (validity, documents, SLA, rules).
Loading never overwrites a row that exists: staff edits win. The requirement rows are plausible
platform data, not legal advice.
"""

from agri_platform.reference.choices import ExportCategory as Cat
from agri_platform.reference.models import Country

from .choices import ApplicationDocumentKind as Doc
from .choices import DestinationGroup, DocumentType, RequirementEffect, SchemeLevel
from .models import MarketRequirement, Scheme

SOURCE = "Platform seed from DOMAIN.md (Sichuan Agri-Trade); verify with the authority before use"

FOOD = [
    Cat.AQUATIC,
    Cat.BEVERAGES,
    Cat.FRUITS,
    Cat.VEGETABLES,
    Cat.LIVESTOCK,
    Cat.TEA,
    Cat.SPICES,
    Cat.GRAINS_OILS,
]

SCHEMES = [
    {
        "code": "ISO9001",
        "name_en": "ISO 9001 Quality management system",
        "name_zh": "ISO 9001 质量管理体系认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "Accredited certification body (CNAS)",
        "certificate_prefix": "QMS",
        "validity_months": 36,
        "required_documents": [Doc.BUSINESS_LICENCE, Doc.QUALITY_MANUAL, Doc.PROCESS_FLOW],
        "review_sla_days": 30,
        "product_categories": [],
        "description": "3 years with yearly surveillance audits.",
    },
    {
        "code": "ISO22000",
        "name_en": "ISO 22000 Food safety management system",
        "name_zh": "ISO 22000 食品安全管理体系认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "Accredited certification body (CNAS)",
        "certificate_prefix": "FSMS",
        "validity_months": 36,
        "required_documents": [
            Doc.BUSINESS_LICENCE,
            Doc.QUALITY_MANUAL,
            Doc.FOOD_SAFETY_PLAN,
            Doc.PROCESS_FLOW,
        ],
        "review_sla_days": 30,
        "product_categories": FOOD,
        "description": "3 years with yearly surveillance audits.",
    },
    {
        "code": "HACCP",
        "name_en": "HACCP system certification",
        "name_zh": "危害分析与关键控制点(HACCP)体系认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "Accredited certification body (CNAS)",
        "certificate_prefix": "HACCP",
        "validity_months": 36,
        "required_documents": [Doc.BUSINESS_LICENCE, Doc.FOOD_SAFETY_PLAN, Doc.PROCESS_FLOW],
        "review_sla_days": 30,
        "product_categories": FOOD,
    },
    {
        "code": "GLOBALGAP",
        "name_en": "GlobalG.A.P. Integrated Farm Assurance",
        "name_zh": "全球良好农业规范(GlobalG.A.P.)认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "GlobalG.A.P. approved certification body",
        "certificate_prefix": "GGAP",
        "validity_months": 12,
        "required_documents": [Doc.BUSINESS_LICENCE, Doc.SITE_PLAN, Doc.TRACEABILITY],
        "review_sla_days": 20,
        "product_categories": [Cat.FRUITS, Cat.VEGETABLES, Cat.TEA, Cat.AQUATIC, Cat.LIVESTOCK],
        "description": "Farm and packhouse assurance; yearly.",
    },
    {
        "code": "BRCGS-FOOD",
        "name_en": "BRCGS Global Standard for Food Safety",
        "name_zh": "BRCGS 全球食品安全标准认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "BRCGS approved certification body",
        "certificate_prefix": "BRC",
        "validity_months": 12,
        "required_documents": [
            Doc.BUSINESS_LICENCE,
            Doc.FOOD_SAFETY_PLAN,
            Doc.QUALITY_MANUAL,
            Doc.INTERNAL_AUDIT,
        ],
        "review_sla_days": 30,
        "product_categories": FOOD,
    },
    {
        "code": "HALAL-JAKIM",
        "name_en": "Halal certification recognised by JAKIM (Malaysia)",
        "name_zh": "马来西亚 JAKIM 认可清真认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "JAKIM-recognised foreign halal body",
        "certificate_prefix": "HLMY",
        "validity_months": 24,
        "required_documents": [
            Doc.BUSINESS_LICENCE,
            Doc.INGREDIENT_LIST,
            Doc.SLAUGHTER_RECORDS,
            Doc.PROCESS_FLOW,
        ],
        "review_sla_days": 45,
        "product_categories": FOOD,
    },
    {
        "code": "HALAL-BPJPH",
        "name_en": "Halal certification recognised by BPJPH/MUI (Indonesia)",
        "name_zh": "印度尼西亚 BPJPH/MUI 认可清真认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "BPJPH-recognised foreign halal body",
        "certificate_prefix": "HLID",
        "validity_months": 24,
        "required_documents": [
            Doc.BUSINESS_LICENCE,
            Doc.INGREDIENT_LIST,
            Doc.SLAUGHTER_RECORDS,
            Doc.PROCESS_FLOW,
        ],
        "review_sla_days": 45,
        "product_categories": FOOD,
    },
    {
        "code": "ORGANIC-CN",
        "name_en": "Organic product certification (China, GB/T 19630)",
        "name_zh": "中国有机产品认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "CNCA-approved certification body",
        "certificate_prefix": "ORGCN",
        "validity_months": 12,
        "required_documents": [Doc.BUSINESS_LICENCE, Doc.ORGANIC_RECORDS, Doc.SITE_PLAN],
        "review_sla_days": 30,
        "product_categories": FOOD,
    },
    {
        "code": "ORGANIC-EU",
        "name_en": "Organic production (EU Regulation 2018/848)",
        "name_zh": "欧盟有机认证",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "EU-recognised control body",
        "certificate_prefix": "ORGEU",
        "validity_months": 12,
        "required_documents": [
            Doc.BUSINESS_LICENCE,
            Doc.ORGANIC_RECORDS,
            Doc.SITE_PLAN,
            Doc.LAB_REPORT,
        ],
        "review_sla_days": 30,
        "product_categories": FOOD,
    },
    {
        "code": "GACC-FILING",
        "name_en": "Export food production enterprise filing (China Customs)",
        "name_zh": "出口食品生产企业备案",
        "level": SchemeLevel.ENTERPRISE,
        "issuer": "General Administration of Customs of China (GACC)",
        "certificate_prefix": "GACC",
        "validity_months": 60,
        "required_documents": [Doc.BUSINESS_LICENCE, Doc.FOOD_SAFETY_PLAN, Doc.SITE_PLAN],
        "review_sla_days": 20,
        "product_categories": FOOD,
        "description": "A filing rather than a certificate; kept here so that it can be tracked.",
    },
    {
        "code": "CITES-EXPORT",
        "name_en": "CITES export permit (sturgeon products)",
        "name_zh": "CITES 允许出口证明书(鲟鱼产品)",
        "level": SchemeLevel.CONSIGNMENT,
        "issuer": "China's CITES Management Authority (Endangered Species Import and Export)",
        "certificate_prefix": "CITES",
        "validity_days": 180,
        "required_documents": [Doc.SPECIES_ORIGIN, Doc.EXPORT_CONTRACT],
        "review_sla_days": 20,
        "product_categories": [Cat.AQUATIC],
        "description": "Per consignment, valid at most 6 months.",
    },
]

ASEAN_ORIGIN = "asean-preferential-origin"

# (country or group, product category, HS prefix, scheme code or DocumentType, alternative group,
#  note)
REQUIREMENTS = [
    (
        DestinationGroup.ANY,
        "",
        "160431",
        "CITES-EXPORT",
        "",
        "Sturgeon caviar (Acipenseriformes, CITES Appendix II) leaves only with a CITES export "
        "permit per consignment.",
    ),
    (
        "MY",
        "",
        "02",
        "HALAL-JAKIM",
        "",
        "Meat to Malaysia: halal certification recognised by JAKIM.",
    ),
    (
        "MY",
        "",
        "1602",
        "HALAL-JAKIM",
        "",
        "Prepared meat to Malaysia: halal certification recognised by JAKIM.",
    ),
    (
        "ID",
        "",
        "02",
        "HALAL-BPJPH",
        "",
        "Meat to Indonesia: halal certification recognised by BPJPH (MUI).",
    ),
    (
        "ID",
        "",
        "1602",
        "HALAL-BPJPH",
        "",
        "Prepared meat to Indonesia: halal certification recognised by BPJPH (MUI).",
    ),
    (
        DestinationGroup.ANY,
        Cat.FRUITS,
        "",
        DocumentType.PHYTOSANITARY,
        "",
        "Fresh fruit: phytosanitary certificate (ePhyto where the importing country takes it).",
    ),
    (
        DestinationGroup.ANY,
        Cat.VEGETABLES,
        "",
        DocumentType.PHYTOSANITARY,
        "",
        "Vegetables: phytosanitary certificate.",
    ),
    (
        DestinationGroup.ANY,
        Cat.SPICES,
        "",
        DocumentType.PHYTOSANITARY,
        "",
        "Dried plant products such as peppercorn: phytosanitary certificate.",
    ),
    (
        DestinationGroup.ANY,
        Cat.LIVESTOCK,
        "",
        DocumentType.VETERINARY_HEALTH,
        "",
        "Meat, live animals and livestock products: veterinary health certificate.",
    ),
    (
        DestinationGroup.ANY,
        Cat.AQUATIC,
        "",
        DocumentType.VETERINARY_HEALTH,
        "",
        "Aquatic products: veterinary (health) certificate.",
    ),
    (
        DestinationGroup.ASEAN,
        "",
        "",
        DocumentType.ORIGIN_FORM_E,
        ASEAN_ORIGIN,
        "To claim the ACFTA or RCEP tariff preference: Form E or an RCEP certificate of origin.",
    ),
    (
        DestinationGroup.ASEAN,
        "",
        "",
        DocumentType.ORIGIN_RCEP,
        ASEAN_ORIGIN,
        "To claim the ACFTA or RCEP tariff preference: Form E or an RCEP certificate of origin.",
    ),
    (
        DestinationGroup.EU,
        Cat.FRUITS,
        "",
        "GLOBALGAP",
        "",
        "Not a legal requirement: EU retail buyers expect GlobalG.A.P. for fresh produce.",
    ),
]

# Certificates of origin only claim a lower tariff: the goods may leave without them.
TARIFF_PREFERENCE_DOCUMENTS = {DocumentType.ORIGIN_FORM_E, DocumentType.ORIGIN_RCEP}

COUNTRIES = {
    "MY": ("Malaysia", "马来西亚", ["ASEAN", "RCEP"]),
    "ID": ("Indonesia", "印度尼西亚", ["ASEAN", "RCEP"]),
}


def load(log=None) -> tuple[int, int]:
    """Create the schemes and requirements that are missing. Returns (schemes, requirements) created."""
    schemes_created = 0
    for spec in SCHEMES:
        spec = dict(spec)
        code = spec.pop("code")
        _, created = Scheme.objects.get_or_create(code=code, defaults=spec)
        schemes_created += created
    schemes = {scheme.code: scheme for scheme in Scheme.objects.all()}
    requirements_created = 0
    for destination, category, hs_prefix, required, group, note in REQUIREMENTS:
        country = None
        if destination not in DestinationGroup.values:
            name_en, name_zh, groups = COUNTRIES[destination]
            country, _ = Country.objects.get_or_create(
                code=destination,
                defaults={"name_en": name_en, "name_zh": name_zh, "groups": groups},
            )
        is_document = required in DocumentType.values
        effect = (
            RequirementEffect.TARIFF_PREFERENCE
            if required in TARIFF_PREFERENCE_DOCUMENTS
            else RequirementEffect.REQUIRED
        )
        _, created = MarketRequirement.objects.get_or_create(
            destination_country=country,
            destination_group="" if country else destination,
            product_category=category,
            hs_prefix=hs_prefix,
            scheme=None if is_document else schemes[required],
            document_type=required if is_document else "",
            defaults={
                "alternative_group": group,
                "effect": effect,
                "note": note,
                "source": SOURCE,
            },
        )
        requirements_created += created
    if log:
        log(
            f"certification catalogue: {schemes_created} schemes and "
            f"{requirements_created} market requirements created"
        )
    return schemes_created, requirements_created
