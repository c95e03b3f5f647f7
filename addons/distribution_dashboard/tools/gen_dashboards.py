"""Generate the spreadsheet dashboards of distribution_dashboard (data/files/*_dashboard.json).

Community Odoo has no spreadsheet editor: the dashboards are written by this script. Change it, then run
``python3 addons/distribution_dashboard/tools/gen_dashboards.py`` and update the addon
(tests/test_dashboard_spreadsheet.py checks every pivot, list and chart against the models).

One file on purpose (~650 lines): it is a script run by hand, not code Odoo loads, and most of it is
the declarative description of each dashboard's sheets, which share the layout helpers and styles at
the top; split, a change to a dashboard would mean reading three files to see one page.
"""

import json
import os
import sys
import uuid

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "files")
NS = uuid.UUID("6f1c1f43-5b0b-4b8b-9a55-0d5b7d1f1a11")


def uid(name):
    return str(uuid.uuid5(NS, name))


# two blocks side by side (A-D, F-I) with a spacer (E)
COLS = [220, 100, 100, 100, 30, 220, 100, 100, 100]
# one block over the page width, two text columns (member, product)
WIDE_COLS = [260, 260, 120, 120, 120, 120]
LETTERS = "ABCDEFGHI"
ROW_PX = 23

STYLES = {
    "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
    "2": {"textColor": "#434343", "fontSize": 11, "bold": True},
    "3": {"textColor": "#434343", "verticalAlign": "middle"},
    "4": {"textColor": "#434343", "fontSize": 11, "bold": True, "align": "center"},
    "5": {"fillColor": "#f2f2f2"},
}
BORDERS = {
    "1": {"bottom": {"style": "thin", "color": "#CCCCCC"}},
    "2": {"top": {"style": "thin", "color": "#CCCCCC"}},
    "3": {"bottom": {"style": "thin", "color": "#FFFFFF"}},
    "4": {"top": {"style": "thin", "color": "#FFFFFF"}, "bottom": {"style": "thin", "color": "#FFFFFF"}},
    "5": {"top": {"style": "thin", "color": "#FFFFFF"}},
}
# The default period of every dashboard: this year (its twelve months, today included). The actions the cards open
# open on the same year (views/dashboard_drilldown_views.xml), so a card and its records agree. Not Odoo's
# "last_12_months": that one ends with last month, and leaves out what was posted today.
PERIOD = "this_year"
LOCALE = {"name": "English (US)", "code": "en_US", "thousandsSeparator": ",", "decimalSeparator": ".",
          "dateFormat": "mm/dd/yyyy", "timeFormat": "hh:mm:ss", "formulaArgSeparator": ",", "weekStart": 7}


def view_link(title, model, view_type, domain=None, context=None, name=None):
    action = {
        "viewType": view_type,
        "action": {
            "domain": domain or [],
            "context": context or {"group_by": []},
            "modelName": model,
            "views": [[False, "pivot"], [False, "graph"], [False, "list"], [False, "form"], [False, "search"]],
        },
        "threshold": 0,
        "name": name or title,
    }
    return f"[{title}](odoo://view/{json.dumps(action, separators=(',', ':'))})"


class Dashboard:
    def __init__(self, filters, cols=COLS):
        self.cols = cols
        # filters: [(key, label, type, model_or_default)]
        self.filters = []
        self.filter_ids = {}
        for key, label, ftype, extra in filters:
            fid = uid(f"filter:{key}")
            self.filter_ids[key] = fid
            if ftype == "date":
                self.filters.append({"id": fid, "type": "date", "label": label, "defaultValue": extra})
            else:
                self.filters.append({"id": fid, "type": "relation", "label": label, "modelName": extra,
                                     "defaultValueDisplayNames": []})
        self.pivots = {}
        self.lists = {}
        self.cells = {}
        self.styles = {}
        self.borders = {}
        self.rows = {}
        self.figures = []
        self.tables = []
        self.data_cells = {}
        self.menus = {}

    def matching(self, match):
        """match: {filter key: (chain, type)} -> fieldMatching."""
        result = {}
        for key, (chain, ftype) in match.items():
            entry = {"chain": chain, "type": ftype}
            if ftype in ("date", "datetime"):
                entry["offset"] = 0
            result[self.filter_ids[key]] = entry
        return result

    def pivot(self, name, model, rows, measures, match, domain=None, columns=None, sort=None):
        pid = str(len(self.pivots) + 1)
        self.pivots[pid] = {
            "type": "ODOO",
            "fieldMatching": self.matching(match),
            "context": {},
            "domain": domain or [],
            "id": pid,
            # no userDefinedName: the headers are the fields' labels, translated in the user's language
            "measures": [{"id": m, "fieldName": m} for m, _label in measures],
            "model": model,
            "name": name,
            "sortedColumn": {"measure": sort[0], "order": sort[1], "domain": []} if sort else None,
            "formulaId": pid,
            "columns": [{"fieldName": c.split(":")[0], **({"granularity": c.split(":")[1]} if ":" in c else {})}
                        for c in (columns or [])],
            "rows": [{"fieldName": r.split(":")[0], **({"granularity": r.split(":")[1]} if ":" in r else {})}
                     for r in rows],
        }
        if not sort:
            del self.pivots[pid]["sortedColumn"]
        return pid

    def list(self, name, model, columns, match, domain=None, order=None):
        lid = str(len(self.lists) + 1)
        self.lists[lid] = {
            "columns": columns,
            "domain": domain or [],
            "model": model,
            "context": {},
            "orderBy": [{"name": f, "asc": asc} for f, asc in (order or [])],
            "id": lid,
            "name": name,
            "fieldMatching": self.matching(match),
        }
        return lid

    def title(self, row, col, text):
        """A section title at (row, col) (0-based), underlined over its block."""
        ref = f"{LETTERS[col]}{row + 1}"
        self.cells[ref] = text
        self.styles[ref] = 1
        self.rows[str(row)] = {"size": 40}
        self.borders[f"{LETTERS[col]}{row + 1}:{LETTERS[col + 3]}{row + 1}"] = 1

    def full_title(self, row, text):
        ref = f"A{row + 1}"
        self.cells[ref] = text
        self.styles[ref] = 1
        self.rows[str(row)] = {"size": 40}
        self.borders[f"A{row + 1}:{LETTERS[len(self.cols) - 1]}{row + 1}"] = 1

    def pivot_block(self, row, col, formula, nrows=10, ncols=4):
        """A pivot formula with its header row at (row, col) and nrows data rows below."""
        first, last = LETTERS[col], LETTERS[col + ncols - 1]
        self.cells[f"{first}{row + 1}"] = formula
        self.styles[f"{first}{row + 1}"] = 2
        self.styles[f"{LETTERS[col + 1]}{row + 1}:{last}{row + 1}"] = 4
        self.styles[f"{first}{row + 2}:{last}{row + 1 + nrows}"] = 3
        self.borders[f"{first}{row + 1}:{last}{row + 1}"] = 2
        self.tables.append({
            "range": f"{first}{row + 1}:{last}{row + 1 + nrows}",
            "type": "static",
            "config": {"hasFilters": False, "totalRow": False, "firstColumn": False, "lastColumn": False,
                       "numberOfHeaders": 1, "bandedRows": True, "bandedColumns": False,
                       "automaticAutofill": True, "styleId": "None"},
        })
        for r in range(row + 1, row + 2 + nrows):
            self.rows.setdefault(str(r), {"size": 29})

    def pivot_table(self, row, col, pid, headers, nrows=10):
        """A pivot without its own header rows under translated headers: PIVOT() would head its first column
        with the pivot's name, which the dashboards do not translate."""
        self.pivot_block(row, col, f"=PIVOT({pid}, {nrows}, FALSE, FALSE, {len(headers) - 1}, FALSE)",
                         nrows=nrows, ncols=len(headers))
        first = f"{LETTERS[col]}{row + 1}"
        self.cells[f"{LETTERS[col]}{row + 2}"] = self.cells.pop(first)
        for i, header in enumerate(headers):
            self.cells[f"{LETTERS[col + i]}{row + 1}"] = f'=_t("{header}")'

    def list_block(self, row, col, lid, columns, headers, nrows=10):
        last = LETTERS[col + len(columns) - 1]
        for i, (field, header) in enumerate(zip(columns, headers, strict=True)):
            letter = LETTERS[col + i]
            self.cells[f"{letter}{row + 1}"] = f'=ODOO.LIST.HEADER({lid}, "{field}", _t("{header}"))'
            for n in range(1, nrows + 1):
                self.cells[f"{letter}{row + 1 + n}"] = f'=ODOO.LIST({lid},{n},"{field}")'
        self.styles[f"{LETTERS[col]}{row + 1}:{last}{row + 1}"] = 2
        self.styles[f"{LETTERS[col]}{row + 2}:{last}{row + 1 + nrows}"] = 3
        self.borders[f"{LETTERS[col]}{row + 1}:{last}{row + 1}"] = 2
        self.tables.append({
            "range": f"{LETTERS[col]}{row + 1}:{last}{row + 1 + nrows}",
            "type": "static",
            "config": {"hasFilters": False, "totalRow": False, "firstColumn": False, "lastColumn": False,
                       "numberOfHeaders": 1, "bandedRows": True, "bandedColumns": False,
                       "automaticAutofill": True, "styleId": "None"},
        })
        for r in range(row + 1, row + 2 + nrows):
            self.rows.setdefault(str(r), {"size": 29})

    def scorecard(self, key, title, row, x, width, key_cell, baseline_cell, baseline_descr, background, menu=None):
        cid = uid(f"scorecard:{key}")
        self.figures.append({
            "id": cid, "width": width, "height": 108, "tag": "chart",
            "data": {
                "baselineColorDown": "#DC6965", "baselineColorUp": "#00A04A", "baselineMode": "text",
                "title": {"text": title, "color": "#434343", "bold": True},
                "type": "scorecard", "background": background,
                "baseline": baseline_cell, "baselineDescr": {"text": baseline_descr},
                "keyValue": key_cell, "humanize": False, "chartId": cid,
            },
            "offset": {"x": x, "y": 12}, "col": 0, "row": row,
        })
        if menu:
            self.menus[cid] = menu

    def chart(self, key, row, x, width, height, model, group_by, measure, match, domain=None, mode="bar",
              stacked=True, action=None, menu=None):
        cid = uid(f"chart:{key}")
        data = {
            "title": {"text": ""},
            "background": "#FFFFFF",
            "legendPosition": "top" if len(group_by) > 1 else "none",
            "metaData": {"groupBy": group_by, "measure": measure, "order": None, "resModel": model, "mode": mode},
            "searchParams": {"comparison": None, "context": {}, "domain": domain or [], "groupBy": group_by,
                             "orderBy": []},
            "type": f"odoo_{mode}",
            "dataSets": [],
            "verticalAxisPosition": "left",
            "stacked": stacked,
            "chartId": cid,
            "fieldMatching": self.matching(match),
        }
        if mode == "line":
            data.update(stacked=False, fillArea=False, cumulatedStart=False)
        if action:
            data["actionXmlId"] = action
        self.figures.append({"id": cid, "width": width, "height": height, "tag": "chart", "data": data,
                             "offset": {"x": x, "y": 10}, "col": 0, "row": row})
        if menu:
            self.menus[cid] = menu

    def data(self, ref, content):
        self.data_cells[ref] = content

    def to_json(self, row_number):
        sheet = {
            "id": "sheet1", "name": "Dashboard", "colNumber": len(self.cols), "rowNumber": row_number,
            "rows": dict(sorted(self.rows.items(), key=lambda kv: int(kv[0]))),
            "cols": {str(i): {"size": size} for i, size in enumerate(self.cols)}, "merges": [],
            "cells": dict(sorted(self.cells.items())), "styles": self.styles, "formats": {},
            "borders": self.borders, "conditionalFormats": [], "dataValidationRules": [],
            "figures": self.figures, "tables": self.tables, "areGridLinesVisible": False, "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []}, "comments": {},
        }
        data_sheet = {
            "id": "data", "name": "Data", "colNumber": 6, "rowNumber": 30, "rows": {}, "cols": {}, "merges": [],
            "cells": dict(sorted(self.data_cells.items())), "styles": {"A1:E20": 5}, "formats": {}, "borders": {},
            "conditionalFormats": [], "dataValidationRules": [], "figures": [], "tables": [],
            "areGridLinesVisible": True, "isVisible": True, "headerGroups": {"ROW": [], "COL": []}, "comments": {},
        }
        return {
            "version": "18.5.10",
            "sheets": [sheet, data_sheet],
            "styles": STYLES,
            "formats": {},
            "borders": BORDERS,
            "revisionId": "START_REVISION",
            "uniqueFigureIds": True,
            "settings": {"locale": LOCALE},
            "pivots": self.pivots,
            "pivotNextId": len(self.pivots) + 1,
            "customTableStyles": {},
            "globalFilters": self.filters,
            "lists": self.lists,
            "listNextId": len(self.lists) + 1,
            "chartOdooMenusReferences": self.menus,
        }


def rows_for(px):
    return -(-px // ROW_PX)


# ----------------------------------------------------------------------------------------------------------
# Channel Sales
# ----------------------------------------------------------------------------------------------------------
def channel_sales():
    # the nightly monthly aggregates (the live movement view is too slow over a large channel):
    # member, tier and territory figures read the member one, product and category figures the product one
    sm = "distribution.channel.sales.member"
    sp = "distribution.channel.sales.product"
    d = Dashboard([
        ("sales_period", "Period", "date", PERIOD),
        ("sales_territory", "Sales Territory", "relation", "distribution.territory"),
        ("sales_tier", "Channel Tier", "relation", "distribution.tier"),
        ("sales_member", "Member", "relation", "distribution.member"),
        ("sales_product", "Product", "relation", "product.product"),
        ("sales_categ", "Product Category", "relation", "product.category"),
    ])
    # each aggregate has the dimensions of its own side only: the member filters do not apply to the product
    # figures, nor the product filters to the member figures
    mmatch = {"sales_period": ("month", "date"), "sales_territory": ("territory_id", "many2one"),
              "sales_tier": ("tier_id", "many2one"), "sales_member": ("member_id", "many2one")}
    pmatch = {"sales_period": ("month", "date"), "sales_product": ("product_id", "many2one"),
              "sales_categ": ("categ_id", "many2one")}
    menu = "distribution_stock.menu_distribution_channel_sales_member"
    kinds = d.pivot("Sell-in, sell-through and sell-out", sm, ["kind"], [("quantity", None), ("amount", None)],
                    mmatch)
    # data sheet: the scorecards' figures
    d.data("A1", '=_t("KPI")')
    d.data("B1", '=_t("Amount")')
    d.data("C1", '=_t("Quantity")')
    d.data("D1", '=_t("Amount (short)")')
    for i, (kind, label) in enumerate((("sell_in", "Sell-in"), ("sell_through", "Sell-through"),
                                       ("sell_out", "Sell-out")), start=2):
        d.data(f"A{i}", f'=_t("{label}")')
        d.data(f"B{i}", f'=PIVOT.VALUE({kinds},"amount","kind","{kind}")')
        d.data(f"C{i}", f'=FORMAT.LARGE.NUMBER(PIVOT.VALUE({kinds},"quantity","kind","{kind}"))')
        d.data(f"D{i}", f"=FORMAT.LARGE.NUMBER(B{i})")
    d.scorecard("sales_in", "Sell-in", 0, 0, 350, "Data!D2", "Data!C2", "units bought from HQ", "#EFF6FF", menu)
    d.scorecard("sales_through", "Sell-through", 0, 360, 350, "Data!D3", "Data!C3", "units sold down the channel",
                "#FFF7ED", menu)
    d.scorecard("sales_out", "Sell-out", 0, 720, 350, "Data!D4", "Data!C4", "units sold to consumers", "#F0FDF4",
                menu)
    row = 6
    d.full_title(row, view_link("Monthly Sell-in, Sell-through and Sell-out", sm, "graph",
                                context={"group_by": ["month:month", "kind"], "graph_measure": "amount",
                                         "graph_mode": "line", "graph_groupbys": ["month:month", "kind"]},
                                name="Channel Sales by Member"))
    d.chart("sales_month", row + 1, 0, 1060, 360, sm, ["month:month", "kind"], "amount", mmatch, mode="line",
            action="distribution_stock.distribution_channel_sales_member_action", menu=menu)
    row += 1 + rows_for(380) + 1

    def kind_pivot(model, match, field):
        # no name: PIVOT() shows it untranslated above the rows (the section title says what they are)
        pid = d.pivot("", model, [field], [("amount", None)], match, columns=["kind"], sort=("amount", "desc"))
        return f"=PIVOT({pid}, 10, FALSE, TRUE, 3, FALSE)"

    def kind_link(title, model, field, name):
        return view_link(title, model, "pivot", context={"group_by": [field], "pivot_measures": ["amount"],
                                                         "pivot_column_groupby": ["kind"],
                                                         "pivot_row_groupby": [field]}, name=name)

    d.title(row, 0, kind_link("By Sales Territory", sm, "territory_id", "Channel Sales by Member"))
    d.title(row, 5, kind_link("By Channel Tier", sm, "tier_id", "Channel Sales by Member"))
    d.pivot_block(row + 1, 0, kind_pivot(sm, mmatch, "territory_id"))
    d.pivot_block(row + 1, 5, kind_pivot(sm, mmatch, "tier_id"))
    row += 13

    sales_domain = [["kind", "in", ["sell_through", "sell_out"]]]

    def member_pivot(name, order):
        return d.pivot(name, sm, ["member_id"], [("quantity", "Quantity"), ("amount", "Sales")], mmatch,
                       domain=sales_domain, sort=("amount", order))

    members_link = view_link("Top 10 Members", sm, "pivot", domain=sales_domain,
                             context={"group_by": ["member_id"], "pivot_measures": ["quantity", "amount"],
                                      "pivot_column_groupby": [], "pivot_row_groupby": ["member_id"]},
                             name="Channel Sales by Member")
    d.title(row, 0, members_link)
    d.title(row, 5, members_link.replace("[Top 10 Members]", "[Bottom 10 Members]", 1))
    d.pivot_table(row + 1, 0, member_pivot("Top members", "desc"), ["Member", "Quantity", "Sales"])
    d.pivot_table(row + 1, 5, member_pivot("Bottom members", "asc"), ["Member", "Quantity", "Sales"])
    row += 13

    # products: one column (sell-out, what end customers buy), not one per kind: thousands of products times
    # three kinds is four times the groups for the pivot to load, for a top 10
    sell_out_domain = [["kind", "=", "sell_out"]]
    products_link = view_link("Top 10 Products (Sell-out)", sp, "pivot", domain=sell_out_domain,
                              context={"group_by": ["product_id"], "pivot_measures": ["quantity", "amount"],
                                       "pivot_column_groupby": [], "pivot_row_groupby": ["product_id"]},
                              name="Channel Sales by Product")
    d.title(row, 0, products_link)
    d.title(row, 5, kind_link("By Product Category", sp, "categ_id", "Channel Sales by Product"))
    top_products = d.pivot("Top products", sp, ["product_id"], [("quantity", "Quantity"), ("amount", "Sales")],
                           pmatch, domain=sell_out_domain, sort=("amount", "desc"))
    d.pivot_table(row + 1, 0, top_products, ["Product", "Quantity", "Sales"])
    d.pivot_block(row + 1, 5, kind_pivot(sp, pmatch, "categ_id"))
    row += 13
    return d.to_json(row + 2)


# ----------------------------------------------------------------------------------------------------------
# Channel Finance
# ----------------------------------------------------------------------------------------------------------
def channel_finance():
    rr, cm, sk = "distribution.rebate.report", "distribution.commission", "distribution.statement.kpi"
    d = Dashboard([
        ("fin_period", "Period", "date", PERIOD),
        ("fin_member", "Member", "relation", "distribution.member"),
        ("fin_territory", "Sales Territory", "relation", "distribution.territory"),
        ("fin_tier", "Channel Tier", "relation", "distribution.tier"),
    ])
    rmatch = {"fin_period": ("date", "date"), "fin_member": ("member_id", "many2one"),
              "fin_territory": ("territory_id", "many2one"), "fin_tier": ("tier_id", "many2one")}
    cmatch = {"fin_period": ("date", "date")}
    smatch = {"fin_period": ("month", "date"), "fin_member": ("member_id", "many2one"),
              "fin_territory": ("territory_id", "many2one"), "fin_tier": ("tier_id", "many2one")}
    rebate_menu = "distribution_dashboard.menu_distribution_rebate_report"
    statement_menu = "distribution_dashboard.menu_distribution_statement_kpi"
    commission_menu = "distribution_commission.menu_distribution_commission_analysis"

    rebate_total = d.pivot("Rebates (totals)", rr, [], [("accrued_amount", None), ("settled_amount", None),
                                                        ("balance_amount", None)], rmatch)
    commission_total = d.pivot("Commissions (totals)", cm, ["state"], [("amount", None)], cmatch)
    statement_total = d.pivot("Statements (totals)", sk, [], [("sent_count", None), ("confirmed_count", None),
                                                             ("confirmation_rate", None)], smatch)
    d.data("A1", '=_t("KPI")')
    d.data("B1", '=_t("Value")')
    d.data("C1", '=_t("Shown")')
    d.data("A2", '=_t("Rebates accrued")')
    d.data("B2", f'=PIVOT.VALUE({rebate_total},"accrued_amount")')
    d.data("C2", "=FORMAT.LARGE.NUMBER(B2)")
    d.data("A3", '=_t("Rebates settled")')
    d.data("B3", f'=PIVOT.VALUE({rebate_total},"settled_amount")')
    d.data("C3", "=FORMAT.LARGE.NUMBER(B3)")
    d.data("A4", '=_t("Rebates to settle")')
    d.data("B4", f'=PIVOT.VALUE({rebate_total},"balance_amount")')
    d.data("C4", "=FORMAT.LARGE.NUMBER(B4)")
    d.data("A5", '=_t("Commissions")')
    d.data("B5", f'=PIVOT.VALUE({commission_total},"amount")')
    d.data("C5", "=FORMAT.LARGE.NUMBER(B5)")
    d.data("A6", '=_t("Commissions available")')
    d.data("B6", f'=PIVOT.VALUE({commission_total},"amount","state","available")')
    d.data("C6", "=FORMAT.LARGE.NUMBER(B6)")
    d.data("A7", '=_t("Statements sent")')
    d.data("B7", f'=PIVOT.VALUE({statement_total},"sent_count")')
    d.data("C7", f'=PIVOT.VALUE({statement_total},"confirmed_count")&" / "&B7&" "&_t("confirmed")')
    d.data("A8", '=_t("Confirmation rate")')
    d.data("B8", f'=PIVOT.VALUE({statement_total},"confirmation_rate")')
    d.data("C8", '=ROUND(B8,1)&" %"')
    d.scorecard("fin_accrued", "Rebates Accrued", 0, 0, 260, "Data!C2", "Data!C4", "to settle", "#EFF6FF",
                rebate_menu)
    d.scorecard("fin_settled", "Rebates Settled", 0, 270, 260, "Data!C3", "Data!C4", "to settle", "#EFF6FF",
                rebate_menu)
    d.scorecard("fin_commission", "Commissions", 0, 540, 260, "Data!C5", "Data!C6", "available", "#FFF7ED",
                commission_menu)
    d.scorecard("fin_statement", "Statement Confirmation Rate", 0, 810, 260, "Data!C8", "Data!C7", "",
                "#F0FDF4", statement_menu)
    row = 6
    d.full_title(row, view_link("Rebates Accrued vs Settled by Month", rr, "graph",
                                context={"group_by": ["date:month", "kind"], "graph_measure": "amount",
                                         "graph_mode": "bar", "graph_groupbys": ["date:month", "kind"]},
                                name="Rebates Accrued vs Settled"))
    d.chart("fin_rebate_month", row + 1, 0, 1060, 330, rr, ["date:month", "kind"], "amount", rmatch,
            stacked=False, action="distribution_dashboard.distribution_rebate_report_action",
            menu=rebate_menu)
    row += 1 + rows_for(350) + 1

    rebate_measures = [("accrued_amount", "Accrued"), ("settled_amount", "Settled"), ("balance_amount", "To Settle")]
    by_member = d.pivot("Member", rr, ["member_id"], rebate_measures, rmatch,
                        sort=("balance_amount", "desc"))
    by_agreement = d.pivot("Agreement", rr, ["agreement_id"], rebate_measures, rmatch,
                           sort=("accrued_amount", "desc"))

    def rebate_link(title, field):
        return view_link(title, rr, "pivot", context={"group_by": [field],
                                                      "pivot_measures": [m for m, _l in rebate_measures],
                                                      "pivot_column_groupby": [], "pivot_row_groupby": [field]},
                         name="Rebates Accrued vs Settled")

    d.title(row, 0, rebate_link("Rebates by Member", "member_id"))
    d.title(row, 5, rebate_link("Rebates by Agreement", "agreement_id"))
    d.pivot_table(row + 1, 0, by_member, ["Member", "Accrued", "Settled", "To Settle"])
    d.pivot_table(row + 1, 5, by_agreement, ["Agreement", "Accrued", "Settled", "To Settle"])
    row += 13

    d.full_title(row, view_link("Commissions by Month", cm, "graph",
                                context={"group_by": ["date:month", "state"], "graph_measure": "amount",
                                         "graph_mode": "bar", "graph_groupbys": ["date:month", "state"]},
                                name="Commissions"))
    d.chart("fin_commission_month", row + 1, 0, 1060, 330, cm, ["date:month", "state"], "amount", cmatch,
            action="distribution_commission.distribution_commission_action_analysis",
            menu=commission_menu)
    row += 1 + rows_for(350) + 1
    by_promoter = d.pivot("Promoter", cm, ["promoter_id"], [("base_amount", "Base"), ("amount", "Commission")],
                          cmatch, sort=("amount", "desc"))
    by_level = d.pivot("Level", cm, ["level"], [("base_amount", "Base"), ("amount", "Commission")], cmatch)

    def commission_link(title, field):
        return view_link(title, cm, "pivot", context={"group_by": [field], "pivot_measures": ["base_amount", "amount"],
                                                      "pivot_column_groupby": [], "pivot_row_groupby": [field]},
                         name="Commissions")

    d.title(row, 0, commission_link("Top Promoters", "promoter_id"))
    d.title(row, 5, commission_link("Commissions by Level", "level"))
    d.pivot_table(row + 1, 0, by_promoter, ["Promoter", "Base", "Commission"])
    d.pivot_table(row + 1, 5, by_level, ["Level", "Base", "Commission"], nrows=3)
    row += 13

    statement_measures = [("sent_count", "Sent"), ("confirmed_count", "Confirmed"), ("confirmation_rate", "Rate (%)")]
    d.full_title(row, view_link("Statement Confirmation Rate by Month", sk, "graph",
                                context={"group_by": ["month:month"], "graph_measure": "confirmation_rate",
                                         "graph_mode": "line", "graph_groupbys": ["month:month"]},
                                name="Statement Confirmation Rate"))
    d.chart("fin_statement_month", row + 1, 0, 1060, 300, sk, ["month:month"], "confirmation_rate", smatch,
            mode="line",
            action="distribution_dashboard.distribution_statement_kpi_action", menu=statement_menu)
    row += 1 + rows_for(320) + 1
    by_territory = d.pivot("Sales Territory", sk, ["territory_id"], statement_measures, smatch,
                           sort=("sent_count", "desc"))
    by_tier = d.pivot("Channel Tier", sk, ["tier_id"], statement_measures, smatch, sort=("sent_count", "desc"))

    def statement_link(title, field):
        return view_link(title, sk, "pivot", context={"group_by": [field],
                                                      "pivot_measures": [m for m, _l in statement_measures],
                                                      "pivot_column_groupby": [], "pivot_row_groupby": [field]},
                         name="Statement Confirmation Rate")

    d.title(row, 0, statement_link("Statements by Sales Territory", "territory_id"))
    d.title(row, 5, statement_link("Statements by Channel Tier", "tier_id"))
    d.pivot_table(row + 1, 0, by_territory, ["Sales Territory", "Sent", "Confirmed", "Rate (%)"])
    d.pivot_table(row + 1, 5, by_tier, ["Channel Tier", "Sent", "Confirmed", "Rate (%)"])
    row += 13
    return d.to_json(row + 2)


# ----------------------------------------------------------------------------------------------------------
# Channel Health
# ----------------------------------------------------------------------------------------------------------
def channel_health():
    sa, dk, tr = "distribution.stock.analysis", "distribution.diversion.kpi", "tier.review"
    d = Dashboard([
        ("health_period", "Period", "date", PERIOD),
        ("health_member", "Member", "relation", "distribution.member"),
        ("health_territory", "Sales Territory", "relation", "distribution.territory"),
        ("health_product", "Product", "relation", "product.product"),
    ], cols=WIDE_COLS)
    smatch = {"health_member": ("member_id", "many2one"), "health_territory": ("territory_id", "many2one"),
              "health_product": ("product_id", "many2one")}
    dmatch = {"health_period": ("month", "date"), "health_member": ("member_id", "many2one"),
              "health_territory": ("territory_id", "many2one")}
    tmatch = {"health_period": ("reviewed_date", "datetime")}
    slow_menu = "distribution_stock.menu_distribution_stock_analysis_slow"
    decided = [["status", "in", ["approved", "rejected"]]]

    stock_total = d.pivot("Stock (totals)", sa, [], [("on_hand", None), ("velocity", None)], smatch)
    slow_total = d.pivot("Slow movers (totals)", sa, [], [("__count", "Slow Movers"), ("on_hand", None)], smatch,
                         domain=[["is_slow", "=", True]])
    hot_total = d.pivot("Hot items (totals)", sa, [], [("__count", "Hot Items"), ("suggested_qty", None)], smatch,
                        domain=[["is_hot", "=", True]])
    diversion_total = d.pivot("Diversion (totals)", dk, [], [("scanned_units", None), ("confirmed_count", None),
                                                            ("diversion_rate", None)], dmatch)
    review_total = d.pivot("Approvals (totals)", tr, [], [("__count", "Decisions"), ("dms_lead_time_hours", None)],
                           tmatch, domain=decided)
    d.data("A1", '=_t("KPI")')
    d.data("B1", '=_t("Value")')
    d.data("C1", '=_t("Shown")')
    d.data("D1", '=_t("Hours")')
    d.data("A2", '=_t("Slow movers")')
    d.data("B2", f'=PIVOT.VALUE({slow_total},"__count")')
    d.data("C2", f'=FORMAT.LARGE.NUMBER(PIVOT.VALUE({slow_total},"on_hand"))&" "&_t("units on hand")')
    d.data("A3", '=_t("Hot items")')
    d.data("B3", f'=PIVOT.VALUE({hot_total},"__count")')
    d.data("C3", f'=FORMAT.LARGE.NUMBER(PIVOT.VALUE({hot_total},"suggested_qty"))&" "&_t("units to order")')
    d.data("A4", '=_t("Days of cover")')
    d.data("B4", f'=IFERROR(ROUND(PIVOT.VALUE({stock_total},"on_hand")/PIVOT.VALUE({stock_total},"velocity"),0),"-")')
    d.data("C4", f'=FORMAT.LARGE.NUMBER(PIVOT.VALUE({stock_total},"on_hand"))&" "&_t("units on hand")')
    d.data("A5", '=_t("Diversion rate")')
    d.data("B5", f'=ROUND(PIVOT.VALUE({diversion_total},"diversion_rate"),2)&" %"')
    d.data("C5", f'=PIVOT.VALUE({diversion_total},"confirmed_count")&" "&_t("confirmed incidents")')
    d.data("A6", '=_t("Approval lead time")')
    # under an hour in minutes (a decision taken in 20 minutes is not "0 h")
    d.data("B6", f'=IF(PIVOT.VALUE({review_total},"__count")=0,"-",'
                 f'IF(D6<1,ROUND(D6*60,0)&" "&_t("min"),ROUND(D6,1)&" "&_t("h")))')
    d.data("D6", f'=PIVOT.VALUE({review_total},"dms_lead_time_hours")')
    d.data("C6", f'=PIVOT.VALUE({review_total},"__count")&" "&_t("decisions")')
    d.scorecard("health_slow", "Slow Movers", 0, 0, 192, "Data!B2", "Data!C2", "", "#FEF2F2", slow_menu)
    d.scorecard("health_hot", "Hot Items", 0, 202, 192, "Data!B3", "Data!C3", "", "#FFF7ED",
                "distribution_stock.menu_distribution_stock_analysis_hot")
    d.scorecard("health_cover", "Days of Cover", 0, 404, 192, "Data!B4", "Data!C4", "", "#EFF6FF",
                "distribution_stock.menu_distribution_stock_analysis")
    d.scorecard("health_diversion", "Diversion Rate", 0, 606, 192, "Data!B5", "Data!C5", "", "#F5F3FF",
                "distribution_diversion.menu_distribution_diversion_kpi")
    d.scorecard("health_lead", "Approval Lead Time", 0, 808, 192, "Data!B6", "Data!C6", "", "#F0FDF4",
                "distribution_core.menu_distribution_approval_lead_time")
    row = 6
    slow_columns = ["member_id", "product_id", "on_hand", "days_cover", "last_outflow_date"]
    slow = d.list("Slow movers", sa, slow_columns, smatch, domain=[["is_slow", "=", True]],
                  order=[("on_hand", False)])
    hot_columns = ["member_id", "product_id", "velocity", "days_cover", "suggested_qty"]
    hot = d.list("Hot items", sa, hot_columns, smatch, domain=[["is_hot", "=", True]],
                 order=[("velocity", False)])
    d.full_title(row, view_link("Slow Movers", sa, "list", domain=[["is_slow", "=", True]],
                                name="Slow Movers"))
    d.list_block(row + 1, 0, slow, slow_columns, ["Member", "Product", "On Hand", "Days of Cover", "Last Outflow"])
    row += 13
    d.full_title(row, view_link("Hot Items", sa, "list", domain=[["is_hot", "=", True]], name="Hot Items"))
    d.list_block(row + 1, 0, hot, hot_columns, ["Member", "Product", "Velocity", "Days of Cover", "To Order"])
    row += 13

    cover_measures = [("on_hand", "On Hand"), ("outflow_qty", "Outflow"), ("days_cover", "Days of Cover"),
                      ("turnover", "Turnover"), ("suggested_qty", "To Order")]
    by_member = d.pivot("Member", sa, ["member_id"], cover_measures, smatch, sort=("on_hand", "desc"))
    by_product = d.pivot("Product", sa, ["product_id"], cover_measures, smatch, sort=("on_hand", "desc"))

    def stock_link(title, field):
        return view_link(title, sa, "pivot", context={"group_by": [field],
                                                      "pivot_measures": [m for m, _l in cover_measures],
                                                      "pivot_column_groupby": [], "pivot_row_groupby": [field]},
                         name="Cover and Turnover")

    d.full_title(row, stock_link("Stock Cover by Member", "member_id"))
    d.pivot_table(row + 1, 0, by_member, ["Member", "On Hand", "Outflow", "Days of Cover", "Turnover", "To Order"])
    row += 13
    d.full_title(row, stock_link("Stock Cover by Product", "product_id"))
    d.pivot_table(row + 1, 0, by_product,
                  ["Product", "On Hand", "Outflow", "Days of Cover", "Turnover", "To Order"])
    row += 13

    d.full_title(row, view_link("Diversion Rate by Month", dk, "graph",
                                context={"group_by": ["month:month"], "graph_measure": "diversion_rate",
                                         "graph_mode": "line", "graph_groupbys": ["month:month"]},
                                name="Diversion Rate"))
    d.chart("health_diversion_month", row + 1, 0, 990, 300, dk, ["month:month"], "diversion_rate", dmatch,
            mode="line", action="distribution_diversion.distribution_diversion_kpi_action",
            menu="distribution_diversion.menu_distribution_diversion_kpi")
    row += 1 + rows_for(320) + 1
    diversion_measures = [("scanned_units", "Scanned Units"), ("incident_count", "Incidents"),
                          ("confirmed_count", "Confirmed"), ("diversion_rate", "Rate (%)")]
    by_territory = d.pivot("Sales Territory", dk, ["territory_id"], diversion_measures, dmatch,
                           sort=("diversion_rate", "desc"))
    d.full_title(row, view_link("Diversion Rate by Territory", dk, "pivot",
                                context={"group_by": ["territory_id"],
                                         "pivot_measures": [m for m, _l in diversion_measures],
                                         "pivot_column_groupby": [], "pivot_row_groupby": ["territory_id"]},
                                name="Diversion Rate"))
    d.pivot_table(row + 1, 0, by_territory, ["Sales Territory", "Scanned Units", "Incidents", "Confirmed", "Rate (%)"])
    row += 13
    reviews = d.pivot("Approval Rule", tr, ["definition_id"], [("__count", "Decisions"),
                                                               ("dms_lead_time_hours", "Lead Time (h)")], tmatch,
                      domain=decided, sort=("dms_lead_time_hours", "desc"))
    d.full_title(row, view_link("Approval Lead Times", tr, "pivot", domain=decided,
                                context={"group_by": ["definition_id"],
                                         "pivot_measures": ["__count", "dms_lead_time_hours"],
                                         "pivot_column_groupby": [], "pivot_row_groupby": ["definition_id"]},
                                name="Approval Lead Times"))
    d.pivot_table(row + 1, 0, reviews, ["Approval Rule", "Decisions", "Lead Time (h)"])
    row += 13
    return d.to_json(row + 2)


def main():
    for name, build in (("channel_sales", channel_sales), ("channel_finance", channel_finance),
                        ("channel_health", channel_health)):
        path = os.path.join(OUT, f"{name}_dashboard.json")
        with open(path, "w") as f:
            json.dump(build(), f, indent=4, ensure_ascii=False)
            f.write("\n")
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
