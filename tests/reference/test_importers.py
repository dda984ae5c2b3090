"""import_unlocode and import_hs_codes on small files made here."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agri_platform.reference.models import Country, HSCode, Location
from tests import factories

UNLOCODE_ROWS = [
    # Change, Country, Location, Name, NameWoDiacritics, Subdivision, Status, Function, Date, IATA,
    # Coordinates, Remarks
    ",CN,,.CHINA,,,,,,,,",
    ",CN,CTU,Chengdu,Chengdu,SC,AI,1-345---,0701,,3039N 10404E,",
    "+,CN,LZO,Luzhou,Luzhou,SC,RL,1-3-----,2401,,2853N 10526E,",
    ",UZ,,.UZBEKISTAN,,,,,,,,",
    ",UZ,TAS,Tashkent,Tashkent,TK,AI,--345---,9601,,4118N 06916E,",
    ",ZZ,ABC,Nowhere,Nowhere,,RL,1-------,0101,,,",
    ",CN,a1!,Broken,Broken,,RL,1-------,0101,,,",
    ",CN,XYZ,,,,RL,1-------,0101,,,",
    "X,CN,OLD,Gone,Gone,,RL,1-------,0101,,,",
    "=,CN,PEK,Peking = Beijing,Peking = Beijing,,,,,,,",
    ",CN,BAD,Bad Coordinates,Bad Coordinates,SC,RL,1-------,0101,,9999X 1,",
    ",MY,PKG,Port Klang (Pelabuhan Klang),Port Klang (Pelabuhan Klang),10,AI,1-------,0701,,0300N 10124E,",
]


@pytest.fixture
def unlocode_file(tmp_path):
    path = tmp_path / "CodeListPart1.csv"
    path.write_text("\n".join(UNLOCODE_ROWS) + "\n", encoding="latin-1")
    return path


def test_import_unlocode_adds_updates_and_rejects_with_a_summary(db, unlocode_file):
    factories.country("CN", "China", groups=())
    factories.country("MY", "Malaysia")
    Location.objects.create(code="CNCTU", country_id="CN", name="Chengdu (old name)")
    out, err = StringIO(), StringIO()

    call_command("import_unlocode", str(unlocode_file), stdout=out, stderr=err)

    summary = out.getvalue()
    assert "12 rows read: 4 added, 1 updated, 0 unchanged, 3 rejected" in summary
    assert "1 countries added" in summary
    assert "coordinates ignored on 1 rows" in summary
    assert "unknown country ZZ" in summary
    assert "place code 'A1!'" in summary
    assert "CNXYZ has no name" in summary
    assert "100% 12/12 rows" in err.getvalue()  # the progress bar
    chengdu = Location.objects.get(pk="CNCTU")
    assert chengdu.name == "Chengdu"
    assert chengdu.subdivision == "SC"
    assert chengdu.latitude == Decimal("30.65000")
    assert chengdu.longitude == Decimal("104.06667")
    assert Location.objects.get(pk="MYPKG").functions == "1-------"
    assert Country.objects.get(pk="UZ").name_en == "Uzbekistan"
    assert Location.objects.get(pk="UZTAS").latitude == Decimal("41.30000")
    assert Location.objects.get(pk="CNBAD").latitude is None
    assert not Location.objects.filter(pk__in=["CNOLD", "CNPEK", "ZZABC"]).exists()

    again = StringIO()
    call_command("import_unlocode", str(unlocode_file), "--no-progress", stdout=again)
    assert "0 added, 0 updated, 5 unchanged, 3 rejected" in again.getvalue()


def test_import_unlocode_country_filter_and_dry_run(db, unlocode_file):
    factories.country("CN", "China", groups=())
    out = StringIO()

    call_command(
        "import_unlocode",
        str(unlocode_file),
        "--country",
        "cn",
        "--dry-run",
        "--no-progress",
        stdout=out,
    )

    assert "Dry run, nothing written" in out.getvalue()
    assert "3 added" in out.getvalue()
    assert not Location.objects.exists()


def test_import_unlocode_with_a_header_row(db, tmp_path):
    factories.country("SG", "Singapore")
    path = tmp_path / "code-list.csv"
    path.write_text(
        "Change,Country,Location,Name,NameWoDiacritics,Subdivision,Status,Function,Date,IATA,"
        "Coordinates,Remarks\n,SG,SIN,Singapore,Singapore,,AI,12345---,0701,,0117N 10351E,\n",
        encoding="utf-8",
    )
    out = StringIO()

    call_command("import_unlocode", str(path), "--no-progress", stdout=out)

    assert "1 rows read: 1 added" in out.getvalue()
    assert Location.objects.get(pk="SGSIN").functions == "12345---"


def test_import_unlocode_refuses_a_file_of_garbage(db, tmp_path):
    path = tmp_path / "nonsense.csv"
    path.write_text("hello,world\nfoo,bar\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_unlocode", str(path), "--no-progress", stdout=StringIO())


def test_import_unlocode_missing_file(db):
    with pytest.raises(CommandError):
        call_command("import_unlocode", "/nonexistent/file.csv", stdout=StringIO())


def test_import_hs_codes(db, tmp_path):
    HSCode.objects.create(code="080521", description_en="old text")
    path = tmp_path / "hs.csv"
    path.write_text(
        "code,description_en,description_zh\n"
        "0805.21,Mandarins,柑橘\n"
        "0805 10 00 00,Oranges,橙\n"
        "0810.50,Kiwifruit,猕猴桃\n"
        "08A5,Letters,\n"
        "08051,Five digits,\n"
        "0806,,葡萄\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()

    call_command("import_hs_codes", str(path), stdout=out, stderr=err)

    text = out.getvalue()
    assert "6 rows read: 2 added, 1 updated, 0 unchanged, 3 rejected" in text
    assert "line 5: code '08A5'" in text
    assert "line 7: 0806 has no description_en" in text
    assert "100%" in err.getvalue()
    assert HSCode.objects.get(pk="080521").description_zh == "柑橘"
    assert HSCode.objects.get(pk="0805100000").description_en == "Oranges"
    assert HSCode.objects.get(pk="081050").history.count() == 1


def test_import_hs_codes_needs_the_header(db, tmp_path):
    path = tmp_path / "hs.csv"
    path.write_text("080521,Mandarins\n", encoding="utf-8")

    with pytest.raises(CommandError, match="description_en"):
        call_command("import_hs_codes", str(path), stdout=StringIO())
