from io import StringIO

from django.core.management import call_command

from agri_platform.accounts.models import Membership
from enterprises import uscc
from enterprises.demo import ENTERPRISES
from enterprises.models import Enterprise, Product, ProductionBase


def test_seed_demo_loads_the_article_cases_and_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    counts = (Enterprise.objects.count(), Product.objects.count(), ProductionBase.objects.count())
    histories = Enterprise.history.count()
    call_command("seed_demo", stdout=StringIO())

    assert counts == (
        Enterprise.objects.count(),
        Product.objects.count(),
        ProductionBase.objects.count(),
    )
    assert Enterprise.history.count() == histories
    assert Enterprise.objects.count() == len(ENTERPRISES) == 10
    for enterprise in Enterprise.objects.all():
        assert uscc.validate(enterprise.uscc) == enterprise.uscc
        assert uscc.is_sichuan(enterprise.uscc)
        assert enterprise.status == "verified"
    cooperative = Enterprise.objects.get(name_en__startswith="Jinyang")
    assert cooperative.uscc.startswith("93")
    baiyang = Enterprise.objects.get(name_en__startswith="Baiyang")
    # the demo exporter owns it (an export desk person of trade/demo.py answers its inquiries)
    owner = Membership.objects.get(enterprise=baiyang, role="owner")
    assert (owner.user.email, owner.role) == ("exporter@demo.agri-trade.example", "owner")
    caviar = Product.objects.get(enterprise__name_en__startswith="Sichuan Runzhao")
    assert (caviar.temp_min_c, caviar.temp_max_c) == (-2, 2)
    assert caviar.cold_chain_profile.code == "fresh-caviar"
    leshan = ProductionBase.objects.get(name__startswith="Leshan")
    assert leshan.area_mu == 300
    goats = Product.objects.get(hs_code="0104201000")
    assert goats.temp_min_c is None
