"""Generate data/files/channel_promotions_dashboard.json with distribution_dashboard's generator.

Run ``python3 addons/distribution_dashboard_promotion/tools/gen_dashboard.py`` after changing it
(tests/test_promotion_dashboard.py reads every pivot and chart against the models).
"""

import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ADDONS = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(os.path.dirname(HERE), "data", "files", "channel_promotions_dashboard.json")

_spec = importlib.util.spec_from_file_location(
    "gen_dashboards", os.path.join(ADDONS, "distribution_dashboard", "tools", "gen_dashboards.py"))
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


def channel_promotions():
    dv, an = "distribution.promotion.deviation", "distribution.promotion.announcement"
    d = gen.Dashboard([
        ("promo_period", "Period", "date", "last_12_months"),
        ("promo_program", "Promotion", "relation", "loyalty.program"),
        ("promo_territory", "Sales Territory", "relation", "distribution.territory"),
        ("promo_tier", "Channel Tier", "relation", "distribution.tier"),
    ], cols=gen.WIDE_COLS)
    dmatch = {"promo_period": ("date", "date"), "promo_program": ("program_id", "many2one"),
              "promo_territory": ("territory_id", "many2one"), "promo_tier": ("tier_id", "many2one")}
    amatch = {"promo_period": ("date_announced", "datetime"), "promo_program": ("program_id", "many2one"),
              "promo_territory": ("territory_id", "many2one"), "promo_tier": ("tier_id", "many2one")}
    measures = [("eligible_order_count", "Eligible Orders"), ("applied_order_count", "Applied Orders"),
                ("missed_order_count", "Missed Orders"), ("deviation", "Deviation (%)")]
    total = d.pivot("Deviation (totals)", dv, [], measures, dmatch)
    announced = d.pivot("Announcements (totals)", an, [], [("__count", "Stores Announced")], amatch)
    read = d.pivot("Read (totals)", an, [], [("__count", "Stores Read")], amatch,
                   domain=[["date_read", "!=", False]])
    acknowledged = d.pivot("Acknowledged (totals)", an, [], [("__count", "Stores Acknowledged")], amatch,
                           domain=[["date_acknowledged", "!=", False]])
    d.data("A1", '=_t("KPI")')
    d.data("B1", '=_t("Value")')
    d.data("C1", '=_t("Shown")')
    d.data("A2", '=_t("Execution deviation")')
    d.data("B2", f'=ROUND(PIVOT.VALUE({total},"deviation"),1)&" %"')
    d.data("C2", f'=PIVOT.VALUE({total},"missed_order_count")&" / "&PIVOT.VALUE({total},"eligible_order_count")'
                 f'&" "&_t("eligible orders missed")')
    d.data("A3", '=_t("Stores announced")')
    d.data("B3", f'=PIVOT.VALUE({announced},"__count")')
    d.data("C3", '=""')
    d.data("A4", '=_t("Stores that read it")')
    d.data("B4", f'=PIVOT.VALUE({read},"__count")')
    d.data("C4", f'=IFERROR(ROUND(100*PIVOT.VALUE({read},"__count")/PIVOT.VALUE({announced},"__count"),0),0)'
                 f'&" % "&_t("of the stores announced")')
    d.data("A5", '=_t("Stores that acknowledged it")')
    d.data("B5", f'=PIVOT.VALUE({acknowledged},"__count")')
    d.data("C5", f'=IFERROR(ROUND(100*PIVOT.VALUE({acknowledged},"__count")/PIVOT.VALUE({announced},"__count"),0),0)'
                 f'&" % "&_t("of the stores announced")')
    menu_dev = "distribution_promotion_announce.menu_distribution_promotion_deviation"
    menu_ann = "distribution_promotion_announce.menu_distribution_promotion_announcement"
    d.scorecard("promo_deviation", "Execution Deviation", 0, 0, 240, "Data!B2", "Data!C2", "", "#FEF2F2", menu_dev)
    d.scorecard("promo_announced", "Stores Announced", 0, 250, 240, "Data!B3", "Data!C3", "", "#EFF6FF", menu_ann)
    d.scorecard("promo_read", "Stores Read", 0, 500, 240, "Data!B4", "Data!C4", "", "#F5F3FF", menu_ann)
    d.scorecard("promo_ack", "Stores Acknowledged", 0, 750, 240, "Data!B5", "Data!C5", "", "#F0FDF4", menu_ann)
    row = 6
    d.full_title(row, gen.view_link("Execution Deviation by Month", dv, "graph",
                                    context={"group_by": ["date:month"], "graph_measure": "deviation",
                                             "graph_mode": "line", "graph_groupbys": ["date:month"]},
                                    name="Promotion Deviation"))
    d.chart("promo_deviation_month", row + 1, 0, 990, 300, dv, ["date:month"], "deviation", dmatch, mode="line",
            action="distribution_promotion_announce.distribution_promotion_deviation_action", menu=menu_dev)
    row += 1 + gen.rows_for(320) + 1

    def deviation_link(title, field):
        return gen.view_link(title, dv, "pivot", context={
            "group_by": [field], "pivot_measures": [m for m, _l in measures], "pivot_column_groupby": [],
            "pivot_row_groupby": [field]}, name="Promotion Deviation")

    for field, title, header in (
        ("program_id", "Deviation by Promotion", "Promotion"),
        ("phase", "Deviation by the Store's Stage", "Store's Stage"),
        ("territory_id", "Deviation by Territory", "Sales Territory"),
        ("member_id", "Deviation by Store", "Store"),
    ):
        pid = d.pivot(title, dv, [field], measures, dmatch, sort=("missed_order_count", "desc"))
        d.full_title(row, deviation_link(title, field))
        d.pivot_table(row + 1, 0, pid, [header, "Eligible Orders", "Applied Orders", "Missed Orders",
                                        "Deviation (%)"])
        row += 13
    return d.to_json(row + 2)


def main():
    with open(OUT, "w") as f:
        json.dump(channel_promotions(), f, indent=4, ensure_ascii=False)
        f.write("\n")
    sys.stdout.write(f"{OUT}\n")


if __name__ == "__main__":
    main()
