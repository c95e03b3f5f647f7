from . import rebate_report, statement_kpi
