from agri_platform.accounts.models import Membership
from tests.factories import ProductFactory, ProductionBaseFactory
from tests.isolation import builder

from .factories import EnterpriseDocumentFactory, invitation


@builder
def enterprises(world):
    world.add(world.enterprise_a, world.enterprise_b)
    world.add(
        Membership.objects.get(user=world.user_a, enterprise=world.enterprise_a),
        Membership.objects.get(user=world.user_b, enterprise=world.enterprise_b),
    )
    world.add(
        invitation(world.enterprise_a, world.user_a, email="new-a@example.com"),
        invitation(world.enterprise_b, world.user_b, email="new-b@example.com"),
    )
    product_a = ProductFactory(enterprise=world.enterprise_a)
    product_b = ProductFactory(enterprise=world.enterprise_b)
    world.add(product_a, product_b)
    base_a = ProductionBaseFactory(enterprise=world.enterprise_a)
    base_b = ProductionBaseFactory(enterprise=world.enterprise_b)
    base_a.products.add(product_a)
    base_b.products.add(product_b)
    world.add(base_a, base_b)
    world.add(
        EnterpriseDocumentFactory(enterprise=world.enterprise_a),
        EnterpriseDocumentFactory(enterprise=world.enterprise_b),
    )
