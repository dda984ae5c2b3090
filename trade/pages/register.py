"""A buyer's registration (public): the person's account and the organisation in one form."""

from agri_platform.portal.public import PublicPage


class BuyerRegisterPage(PublicPage):
    pass


class BuyerRegisteredPage(PublicPage):
    pass
