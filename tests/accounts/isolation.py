"""Isolation pairs for the identity routes: partners, their API keys and their people."""

from agri_platform.accounts.services import api_key_create
from tests import factories
from tests.isolation import builder


@builder
def partners(world):
    world.add(world.partner_a, world.partner_b)


@builder
def partner_api_keys(world):
    mine, _ = api_key_create(partner=world.partner_a, name="A's TMS", scopes=["logistics:write"])
    theirs, _ = api_key_create(partner=world.partner_b, name="B's TMS", scopes=["logistics:write"])
    world.add(mine, theirs)


@builder
def partner_users(world):
    world.add(
        factories.PartnerUserFactory(partner=world.partner_a),
        factories.PartnerUserFactory(partner=world.partner_b),
    )
