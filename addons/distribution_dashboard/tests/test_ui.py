from odoo.tests import HttpCase, tagged

from .common import DashboardCommon


@tagged("post_install", "-at_install")
class TestDashboardTour(DashboardCommon, HttpCase):
    def test_manager_opens_dashboard_and_a_slow_mover(self):
        """The channel manager opens the Channel dashboards, then the slow movers, and drills into one."""
        self.start_tour("/odoo", "distribution_dashboard_manager", login="dist_manager")
