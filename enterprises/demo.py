"""The exporters of the demo cases in DOMAIN.md, with their bases and products. Idempotent.

USCCs are generated deterministically (`uscc.make` of a fixed 17-character body: registration
authority 9 (industry and commerce) or 93 (farmer cooperative), the county's GB/T 2260 code, and a
fixed organisation code), so they validate and stay the same between runs. Bands come from the
cold-chain profiles loaded by agri_platform/reference/demo.py, which runs first.
"""

from decimal import Decimal

from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership, User
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, HSCode, Prefecture
from agri_platform.reference.selectors import cold_chain_profile_for

from . import uscc
from .choices import BaseKind, VerificationStatus
from .models import Enterprise, Product, ProductionBase
from .services.bases_products import mu_to_m2

DEMO_OWNER_EMAIL = "exporter@demo.agri-trade.example"
REVIEWER_EMAIL = "reviewer@demo.agri-trade.example"

FRUITS = ExportCategory.FRUITS
AQUATIC = ExportCategory.AQUATIC
LIVESTOCK = ExportCategory.LIVESTOCK
SPICES = ExportCategory.SPICES

# key, USCC body (17 chars), name_zh, name_en, prefecture, county, categories, markets,
# bases [(name, kind, prefecture, county, lat, lon, area_mu, capacity_t)],
# products [(name_zh, name_en, variety, category, hs_code, shelf_life_days)]
ENTERPRISES = [
    {
        "key": "baiyang",
        "uscc": "915101180MA6CT001",
        "name_zh": "新津区安西镇白杨村果蔬冷链分选包装中心",
        "name_en": "Baiyang Village Fruit and Vegetable Cold-Chain Sorting and Packaging Centre",
        "prefecture": "510100",
        "county": "Xinjin District (Anxi Town, Baiyang Village)",
        "categories": [FRUITS, ExportCategory.VEGETABLES],
        "markets": ["MY"],
        "bases": [
            (
                "Baiyang Village sorting and packaging centre",
                BaseKind.PACKHOUSE,
                "510100",
                "Xinjin District",
                "30.41",
                "103.81",
                None,
                None,
            ),
        ],
        "products": [
            ("爱媛38号柑橘", "Ai Yuan mandarin", "Ai Yuan No. 38", FRUITS, "080521", 45),
            ("不知火（丑柑）", "Bu Zhi Huo mandarin (dekopon)", "Shiranui", FRUITS, "080521", 60),
        ],
    },
    {
        "key": "danling",
        "uscc": "915114240MA6CT002",
        "name_zh": "丹棱县晚熟柑橘出口企业（演示）",
        "name_en": "Danling Late-Maturing Citrus Exporter (demo)",
        "prefecture": "511400",
        "county": "Danling County",
        "categories": [FRUITS],
        "markets": ["TH", "SG", "MY", "KZ"],
        "bases": [
            (
                "Danling late citrus orchards",
                BaseKind.ORCHARD,
                "511400",
                "Danling County",
                "30.01",
                "103.51",
                None,
                None,
            ),
        ],
        "products": [
            ("丹棱晚熟柑橘", "Danling late-maturing citrus", "Bu Zhi Huo", FRUITS, "080521", 60),
        ],
    },
    {
        "key": "runzhao",
        "uscc": "915118250MA6CT003",
        "name_zh": "四川润兆渔业有限公司",
        "name_en": "Sichuan Runzhao Fisheries Co., Ltd.",
        "prefecture": "511800",
        "county": "Tianquan County",
        "categories": [AQUATIC],
        "markets": ["US", "DE", "FR", "VN", "MX", "MY", "UZ"],
        "bases": [
            (
                "Cold-water Fish Modern Agricultural Park",
                BaseKind.AQUACULTURE_FARM,
                "511800",
                "Tianquan County",
                "30.07",
                "102.76",
                None,
                "10000",
            ),
            (
                "Leshan sturgeon base (300 mu)",
                BaseKind.AQUACULTURE_FARM,
                "511100",
                "",
                None,
                None,
                "300",
                None,
            ),
        ],
        "products": [
            ("鲟鱼子酱", "Sturgeon caviar", "Acipenser (CITES Appendix II)", AQUATIC, "160431", 60),
        ],
    },
    {
        "key": "yingjing",
        "uscc": "915118220MA6CT004",
        "name_zh": "荥经县鲟鱼子酱生产企业（演示）",
        "name_en": "Yingjing Caviar Producer (demo)",
        "prefecture": "511800",
        "county": "Yingjing County",
        "categories": [AQUATIC],
        "markets": ["SG"],
        "bases": [
            (
                "Yingjing sturgeon farm",
                BaseKind.AQUACULTURE_FARM,
                "511800",
                "Yingjing County",
                "29.80",
                "102.85",
                None,
                None,
            ),
        ],
        "products": [
            ("荥经鲟鱼子酱", "Yingjing caviar", "", AQUATIC, "160431", 60),
        ],
    },
    {
        "key": "chengben",
        "uscc": "915103000MA6CT005",
        "name_zh": "四川诚本农业开发有限公司",
        "name_en": "Sichuan Chengben Agricultural Development Co., Ltd.",
        "prefecture": "510300",
        "county": "",
        "categories": [LIVESTOCK],
        "markets": ["SN"],
        "bases": [
            (
                "Zigong rabbit processing plant",
                BaseKind.PROCESSING_PLANT,
                "510300",
                "",
                None,
                None,
                None,
                None,
            ),
        ],
        "products": [
            ("玉米兔（不辣）", "Non-spicy rabbit with corn", "", LIVESTOCK, "160290", 30),
            ("咖喱兔", "Curry rabbit", "", LIVESTOCK, "160290", 30),
        ],
    },
    {
        "key": "jinyang",
        "uscc": "935134300MA6CT006",
        "name_zh": "金阳县青花椒专业合作社（演示）",
        "name_en": "Jinyang Green Sichuan Peppercorn Cooperative (demo)",
        "prefecture": "513400",
        "county": "Jinyang County",
        "categories": [SPICES],
        "markets": [],
        "bases": [
            (
                "Jinyang green peppercorn groves",
                BaseKind.ORCHARD,
                "513400",
                "Jinyang County",
                "27.70",
                "103.25",
                None,
                None,
            ),
        ],
        "products": [
            (
                "干青花椒",
                "Dried green Sichuan peppercorn",
                "Green Zanthoxylum",
                SPICES,
                "091099",
                365,
            ),
        ],
    },
    {
        "key": "zizhong",
        "uscc": "915110250MA6CT007",
        "name_zh": "资中县血橙种植企业（演示）",
        "name_en": "Zizhong Blood Orange Grower (demo)",
        "prefecture": "511000",
        "county": "Zizhong County",
        "categories": [FRUITS],
        "markets": ["SG", "MY", "TH", "VN", "ID", "PH", "HK", "RU", "KZ", "AE"],
        "bases": [
            (
                "Zizhong blood orange orchards",
                BaseKind.ORCHARD,
                "511000",
                "Zizhong County",
                "29.76",
                "104.85",
                None,
                None,
            ),
        ],
        "products": [
            ("资中血橙", "Zizhong blood orange", "Tarocco", FRUITS, "080510", 60),
        ],
    },
    {
        "key": "fushun",
        "uscc": "915103220MA6CT008",
        "name_zh": "富顺县柑橘种植企业（演示）",
        "name_en": "Fushun Citrus Grower (demo)",
        "prefecture": "510300",
        "county": "Fushun County",
        "categories": [FRUITS],
        "markets": [],
        "bases": [
            (
                "Fushun citrus orchards",
                BaseKind.ORCHARD,
                "510300",
                "Fushun County",
                "29.18",
                "104.97",
                None,
                None,
            ),
        ],
        "products": [
            ("富顺柑橘", "Fushun citrus", "", FRUITS, "080521", 45),
        ],
    },
    {
        "key": "suckling_pig",
        "uscc": "915133000MA6CT009",
        "name_zh": "藏香乳猪生产企业（演示）",
        "name_en": "Tibetan Fragrant Suckling-Pig Producer (demo)",
        "prefecture": "513300",
        "county": "",
        "categories": [LIVESTOCK],
        "markets": [],
        "bases": [
            (
                "Tibetan fragrant pig farm",
                BaseKind.LIVESTOCK_FARM,
                "513300",
                "",
                None,
                None,
                None,
                None,
            ),
        ],
        "products": [
            (
                "冻藏香乳猪",
                "Frozen Tibetan fragrant suckling pig",
                "",
                LIVESTOCK,
                "0203211000",
                365,
            ),
        ],
    },
    {
        "key": "jianyang_goats",
        "uscc": "915101850MA6CT010",
        "name_zh": "简阳大耳羊种羊场（演示）",
        "name_en": "Jianyang Big-Eared Goat Breeder (demo)",
        "prefecture": "510100",
        "county": "Jianyang",
        "categories": [LIVESTOCK],
        "markets": ["UG"],
        "bases": [
            (
                "Jianzhou big-eared goat breeding farm",
                BaseKind.LIVESTOCK_FARM,
                "510100",
                "Jianyang",
                "30.41",
                "104.55",
                None,
                None,
            ),
        ],
        "products": [
            (
                "简州大耳羊（种羊）",
                "Jianzhou big-eared goat, breeding stock",
                "",
                LIVESTOCK,
                "0104201000",
                None,
            ),
        ],
    },
]


def demo_uscc(body: str) -> str:
    return uscc.make(body)


def _decimal(value):
    return None if value is None else Decimal(value)


def _enterprise(spec: dict, reviewer: User | None) -> tuple[Enterprise, bool]:
    code = demo_uscc(spec["uscc"])
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if enterprise is not None:
        return enterprise, False
    enterprise = Enterprise.objects.create(
        uscc=code,
        name_zh=spec["name_zh"],
        name_en=spec["name_en"],
        prefecture=Prefecture.objects.get(pk=spec["prefecture"]),
        county=spec["county"],
        export_categories=[str(value) for value in spec["categories"]],
        registered_outside_sichuan=not uscc.is_sichuan(code),
        status=VerificationStatus.VERIFIED,
        status_changed_at=timezone.now(),
        status_changed_by=reviewer,
        contact_email=f"{spec['key'].replace('_', '-')}@exporters.demo.agri-trade.example",
        contact_name="Export desk",
        publish_contact=True,
    )
    enterprise.export_markets.set(Country.objects.filter(code__in=spec["markets"]))
    products = []
    for name_zh, name_en, variety, category, hs, shelf_life in spec["products"]:
        hs_code = HSCode.objects.get(pk=hs)
        profile = cold_chain_profile_for(hs)
        products.append(
            Product.objects.create(
                enterprise=enterprise,
                name_zh=name_zh,
                name_en=name_en,
                variety=variety,
                category=category,
                hs_code=hs_code,
                temp_min_c=profile.temp_min_c if profile else None,
                temp_max_c=profile.temp_max_c if profile else None,
                humidity_max_pct=profile.humidity_max_pct if profile else None,
                cold_chain_profile=profile,
                shelf_life_days=shelf_life,
            )
        )
    for name, kind, prefecture, county, lat, lon, area_mu, capacity in spec["bases"]:
        base = ProductionBase.objects.create(
            enterprise=enterprise,
            name=name,
            kind=kind,
            prefecture=Prefecture.objects.get(pk=prefecture),
            county=county,
            latitude=_decimal(lat),
            longitude=_decimal(lon),
            area_m2=mu_to_m2(Decimal(area_mu)) if area_mu else None,
            annual_capacity_t=_decimal(capacity),
        )
        base.products.set(products)
    return enterprise, True


def seed(log) -> None:
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    created = 0
    for spec in ENTERPRISES:
        enterprise, new = _enterprise(spec, reviewer)
        created += new
        if spec["key"] == "baiyang":
            owner = User.objects.filter(email=DEMO_OWNER_EMAIL).first()
            if owner is not None:
                Membership.objects.get_or_create(
                    user=owner, enterprise=enterprise, defaults={"role": MembershipRole.OWNER}
                )
    log(f"{len(ENTERPRISES)} demo enterprises ({created} new) with their bases and products")
