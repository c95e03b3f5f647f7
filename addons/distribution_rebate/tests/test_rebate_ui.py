from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.distribution_core.tests.common import DistributionHttpCommon

from .common import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateTour(RebateCommon, DistributionHttpCommon):
    def test_manager_settles_member_sees_credit_note(self):
        self.channel_manager.sudo().group_ids = [Command.link(self.env.ref("account.group_account_invoice").id)]
        # this quarter: 30,000 + the 100 of the common set-up
        self._invoice("dl_hz", fields.Date.today(), [(self.product_a, 30, 1000.0)])
        self.start_tour("/odoo", "distribution_rebate_agreement_settle", login="dist_manager")
        agreement = self.env["distribution.rebate.agreement"].search([("name", "=", "Tour volume rebate")])
        self.assertEqual(agreement.state, "running")
        settlement = agreement.computation_ids.settlement_ids
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.amount, 602.0)  # 30,100 x 2%
        self.assertEqual(settlement.move_id.amount_total, 602.0)
        self.start_tour("/my/rebates", "distribution_rebate_portal", login="portal_dl_hz")
