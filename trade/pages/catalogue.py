"""The public catalogue: products of verified exporters, with seasons, certificates and markets."""

from agri_platform.portal.public import PublicPage


class CataloguePage(PublicPage):
    pass


class CatalogueProductPage(PublicPage):
    pass
