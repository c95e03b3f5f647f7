from . import distribution_portal_dashboard, rebate_report, statement_kpi
