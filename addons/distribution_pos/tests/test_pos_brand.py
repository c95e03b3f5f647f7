import base64

from odoo.tests import tagged
from odoo.tools import file_open

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestPosBrand(TestPointOfSaleHttpCommon):
    def test_till_header_bears_the_brand_logo(self):
        """The cashier sees the brand (the company's own logo) in the till's header, not only on
        the receipt and the login screen."""
        company = self.main_pos_config.company_id
        self.assertIn("uses_default_logo", self.env["res.company"]._load_pos_data_fields(self.main_pos_config))
        with file_open("distribution_core/static/img/demo_brand_logo.png", "rb") as logo:
            company.logo = base64.b64encode(logo.read())
        self.assertFalse(company.uses_default_logo)
        self.start_pos_tour("DistributionPosBrandTour", login="pos_user")
