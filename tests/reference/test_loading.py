from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from agri_platform.reference.loading import load_reference_data
from agri_platform.reference.models import (
    ColdChainProfile,
    Country,
    Currency,
    HSCode,
    Location,
    Prefecture,
)

DOMAIN_CURRENCIES = [
    "CNY",
    "USD",
    "EUR",
    "MYR",
    "THB",
    "SGD",
    "IDR",
    "VND",
    "PHP",
    "KZT",
    "XOF",
    "UGX",
]
DOMAIN_LOCODES = [
    "CNCTU",
    "SGSIN",
    "MYPKG",
    "MYKUL",
    "THBKK",
    "THLCH",
    "SNDKR",
    "KZALA",
    "UGEBB",
    "VNSGN",
    "IDJKT",
    "PHMNL",
    "AEDXB",
]


def test_shipped_subsets_cover_the_domain(db):
    results = load_reference_data()

    assert all(summary.rejected == 0 for summary in results.values())
    assert Prefecture.objects.count() == 21
    assert Prefecture.objects.get(pk="513300").name_zh == "甘孜藏族自治州"
    assert set(DOMAIN_CURRENCIES) <= set(Currency.objects.values_list("code", flat=True))
    assert {
        c.code: c.minor_units for c in Currency.objects.filter(code__in=["VND", "XOF", "KWD"])
    } == {
        "VND": 0,
        "XOF": 0,
        "KWD": 3,
    }
    assert set(DOMAIN_LOCODES) <= set(Location.objects.values_list("code", flat=True))
    malaysia = Country.objects.get(pk="MY")
    assert malaysia.name_zh == "马来西亚"
    assert set(malaysia.groups) == {"ASEAN", "RCEP"}
    assert Country.objects.filter(groups__icontains='"EU"').count() == 27
    assert Country.objects.filter(groups__icontains='"ASEAN"').count() == 10
    for code in ["0805", "080521", "0805210000", "160431", "091099", "010420", "0203211000"]:
        assert HSCode.objects.filter(pk=code).exists(), code
    caviar = ColdChainProfile.objects.get(code="fresh-caviar")
    assert (caviar.temp_min_c, caviar.temp_max_c) == (Decimal("-2"), Decimal("2"))
    assert ColdChainProfile.objects.get(code="dried-peppercorn").humidity_max_pct == 60


def test_loading_twice_changes_nothing_and_keeps_staff_edits(db):
    load_reference_data()
    ColdChainProfile.objects.filter(code="lemons").update(temp_min_c=11)
    history_rows = Country.history.count()

    out = StringIO()
    call_command("load_reference_data", stdout=out)

    assert "countries: 0 added, 0 updated" in out.getvalue()
    assert Country.history.count() == history_rows
    assert ColdChainProfile.objects.get(code="lemons").temp_min_c == 11


def test_a_changed_shipped_value_is_restored(db):
    load_reference_data()
    Country.objects.filter(pk="SG").update(name_zh="wrong")

    results = load_reference_data()

    assert results["countries"].updated == 1
    assert Country.objects.get(pk="SG").name_zh == "新加坡"
