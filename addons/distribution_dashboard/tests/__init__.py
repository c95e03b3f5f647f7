from . import test_dashboard_drilldowns, test_dashboard_reports, test_dashboard_spreadsheet, test_portal_dashboard, test_ui
