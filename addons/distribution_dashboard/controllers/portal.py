import io
import re
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.http import content_disposition, request
from odoo.tools.misc import format_date

from odoo.addons.distribution_core.tools.safe_io import xlsx_workbook
from odoo.addons.portal.controllers.portal import CustomerPortal

PERIODS = (3, 6, 12, 24)
DEFAULT_MONTHS = 12
HTML_ROWS = 100  # the page shows the first rows of a table; its XLSX has all of them
KINDS = ("sell_in", "sell_through", "sell_out")


class DashboardPortal(CustomerPortal):
    """'My Dashboard': the channel figures of the member's own subtree, as tables with an XLSX download.

    Every figure is read through the ORM as the portal user: the record rules restrict the rows to the
    member's subtree (sales and stock) or to the member itself (rebates and statements), as in the back
    office. No figure is read as superuser: only the names of the products, which portal users may not
    read, are displayed with sudo."""

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    def _dashboard_filters(self, member, kwargs):
        """The period (last N months, the current one included) and the member of the subtree to show."""
        try:
            months = int(kwargs.get("months") or DEFAULT_MONTHS)
        except ValueError:
            months = DEFAULT_MONTHS
        if months not in PERIODS:
            months = DEFAULT_MONTHS
        today = fields.Date.context_today(request.env.user)
        date_from = today.replace(day=1) - relativedelta(months=months - 1)
        scope = member
        try:
            scope_id = int(kwargs.get("member_id") or 0)
        except ValueError:
            scope_id = 0
        if scope_id and scope_id != member.id:
            # only a member of the user's own subtree (the record rules hide the others anyway)
            scope = request.env["distribution.member"].search(
                [("id", "=", scope_id), ("id", "child_of", member.id)], limit=1
            ) or member
        return {"months": months, "date_from": date_from, "date_to": today, "scope": scope}

    # ------------------------------------------------------------------
    # Tables: {"key", "title", "columns": [(label, type)], "rows": [[value, ...]], "note"}
    # types: text, date, month, qty, money, percent, days
    # ------------------------------------------------------------------
    def _dashboard_table_keys(self):
        return ["movement_month", "movement_product", "stock", "slow", "rebates", "statements"]

    def _dashboard_table(self, key, member, filters):
        return getattr(self, f"_dashboard_table_{key}")(member, filters)

    def _movement_columns(self, first):
        env = request.env
        return [
            (first[0], first[1]),
            (env._("Sell-in Qty"), "qty"), (env._("Sell-in Amount"), "money"),
            (env._("Sell-through Qty"), "qty"), (env._("Sell-through Amount"), "money"),
            (env._("Sell-out Qty"), "qty"), (env._("Sell-out Amount"), "money"),
        ]

    def _movement_groups(self, filters, groupby):
        domain = [
            ("member_id", "child_of", filters["scope"].id),
            ("date", ">=", filters["date_from"]),
            ("date", "<=", filters["date_to"]),
        ]
        groups = request.env["distribution.channel.movement"]._read_group(
            domain, [groupby, "kind"], ["quantity:sum", "amount:sum"]
        )
        figures = defaultdict(dict)
        for key, kind, quantity, amount in groups:
            figures[key][kind] = (quantity, amount)
        return figures

    @staticmethod
    def _movement_row(label, by_kind):
        row = [label]
        for kind in KINDS:
            quantity, amount = by_kind.get(kind, (0.0, 0.0))
            row += [quantity, amount]
        return row

    def _dashboard_table_movement_month(self, member, filters):
        env = request.env
        figures = self._movement_groups(filters, "date:month")
        rows = []
        month = filters["date_from"]
        while month <= filters["date_to"]:
            rows.append(self._movement_row(month, figures.get(month, {})))
            month += relativedelta(months=1)
        return {
            "key": "movement_month",
            "title": env._("Sell-in, Sell-through and Sell-out by Month"),
            "columns": self._movement_columns((env._("Month"), "month")),
            "rows": rows,
            "note": env._("Sell-in: bought from HQ; sell-through: sold to other members; sell-out: sold to consumers."),
        }

    def _dashboard_table_movement_product(self, member, filters):
        env = request.env
        figures = self._movement_groups(filters, "product_id")
        # names only: the figures were read as the user (portal users do not read products)
        names = {product: product.sudo().display_name for product in figures}
        products = sorted(figures, key=lambda p: (-sum(amount for _q, amount in figures[p].values()), names[p]))
        return {
            "key": "movement_product",
            "title": env._("Sell-in, Sell-through and Sell-out by Product"),
            "columns": self._movement_columns((env._("Product"), "text")),
            "rows": [self._movement_row(names[product], figures[product]) for product in products],
        }

    def _analysis_rows(self, filters, extra_domain, order):
        return request.env["distribution.stock.analysis"].search(
            [("member_id", "child_of", filters["scope"].id), *extra_domain], order=order
        )

    def _dashboard_table_stock(self, member, filters):
        """The figures are read as the user; the product names with sudo (portal users do not read products)."""
        env = request.env
        rows = []
        for line in self._analysis_rows(filters, [], "member_id, product_id"):
            status = ", ".join(
                label for flag, label in ((line.is_slow, env._("Slow mover")), (line.is_hot, env._("Hot item"))) if flag
            )
            rows.append([
                line.member_id.display_name, line.product_id.sudo().display_name, line.on_hand, line.velocity,
                line.days_cover if line.velocity else None, line.turnover, line.suggested_qty, status,
            ])
        return {
            "key": "stock",
            "title": env._("Stock Cover"),
            "columns": [
                (env._("Member"), "text"), (env._("Product"), "text"), (env._("On Hand"), "qty"),
                (env._("Velocity (units/day)"), "qty"), (env._("Days of Cover"), "days"),
                (env._("Inventory Turnover"), "qty"), (env._("Suggested Quantity"), "qty"), (env._("Status"), "text"),
            ],
            "rows": rows,
            "note": env._("Days of cover: on hand / velocity (units sold per day over the analysis window)."),
        }

    def _dashboard_table_slow(self, member, filters):
        env = request.env
        lines = self._analysis_rows(filters, [("is_slow", "=", True)], "on_hand desc, member_id, product_id")
        return {
            "key": "slow",
            "title": env._("Slow Movers"),
            "columns": [
                (env._("Member"), "text"), (env._("Product"), "text"), (env._("On Hand"), "qty"),
                (env._("Days of Cover"), "days"), (env._("Last Outflow"), "date"),
            ],
            "rows": [
                [line.member_id.display_name, line.product_id.sudo().display_name, line.on_hand,
                 line.days_cover if line.velocity else None, line.last_outflow_date or None]
                for line in lines
            ],
        }

    def _dashboard_table_rebates(self, member, filters):
        env = request.env
        # the member's own rebates (the record rules show no other member's), of the periods in the window
        groups = env["distribution.rebate.report"]._read_group(
            [("member_id", "=", member.id), ("date_to", ">=", filters["date_from"]),
             ("date_from", "<=", filters["date_to"])],
            ["agreement_id", "date_from:day", "date_to:day"],
            ["accrued_amount:sum", "settled_amount:sum", "balance_amount:sum"],
            order="date_from:day desc, agreement_id",
        )
        return {
            "key": "rebates",
            "title": env._("Rebates Accrued vs Settled"),
            "columns": [
                (env._("Agreement"), "text"), (env._("Period Start"), "date"), (env._("Period End"), "date"),
                (env._("Accrued"), "money"), (env._("Settled"), "money"), (env._("To Settle"), "money"),
            ],
            "rows": [
                [agreement.display_name, date_from, date_to, accrued, settled, balance]
                for agreement, date_from, date_to, accrued, settled, balance in groups
            ],
            "member": member,
            "note": env._("The rebates of %(member)s, for the periods in the selected months.",
                          member=member.display_name),
        }

    def _dashboard_table_statements(self, member, filters):
        env = request.env
        Kpi = env["distribution.statement.kpi"]
        # the member's own statements (the record rules show no other member's), of the periods ending in the window
        domain = [("member_id", "=", member.id), ("date_to", ">=", filters["date_from"]),
                  ("date_to", "<=", filters["date_to"])]
        lines = Kpi.search(domain, order="date_to desc, id desc")
        state_labels = dict(Kpi._fields["state"]._description_selection(env))
        [(sent, confirmed, rate)] = Kpi._read_group(
            domain, [], ["sent_count:sum", "confirmed_count:sum", "confirmation_rate:sum"]
        )
        return {
            "key": "statements",
            "title": env._("Statements"),
            "columns": [
                (env._("Statement"), "text"), (env._("Period Start"), "date"), (env._("Period End"), "date"),
                (env._("Status"), "text"), (env._("Sent On"), "date"), (env._("Confirmed On"), "date"),
                (env._("Days to Confirm"), "days"),
            ],
            "rows": [
                [line.statement_id.display_name, line.date_from, line.date_to, state_labels.get(line.state, ""),
                 line.sent_date and line.sent_date.date(), line.confirmed_date and line.confirmed_date.date(),
                 line.days_to_confirm if line.state == "confirmed" else None]
                for line in lines
            ],
            "summary": env._(
                "Confirmation rate: %(rate)s %% (%(confirmed)s of %(sent)s statements confirmed)",
                rate=f"{rate or 0.0:.1f}", confirmed=confirmed or 0, sent=sent or 0,
            ),
            "rate": (rate or 0.0) if sent else None,
            "member": member,
            "note": env._("The statements sent to %(member)s, of the periods ending in the selected months.",
                          member=member.display_name),
        }

    # ------------------------------------------------------------------
    # Key figures and chart: read from the tables already computed, no further query
    # ------------------------------------------------------------------
    @staticmethod
    def _dashboard_kpis(tables):
        """The figures a member reads first: the period's movement amounts, slow movers, rebates, statements."""
        by_key = {table["key"]: table for table in tables}
        kpis = {}
        months = by_key.get("movement_month")
        if months:
            for index, kind in enumerate(KINDS):
                kpis[kind] = sum(row[2 + 2 * index] or 0.0 for row in months["rows"])
        if "slow" in by_key:
            kpis["slow"] = len(by_key["slow"]["rows"])
        if "rebates" in by_key:
            kpis["to_settle"] = sum(row[5] or 0.0 for row in by_key["rebates"]["rows"])
        if "statements" in by_key:
            kpis["statement_rate"] = by_key["statements"].get("rate")
        return kpis

    @staticmethod
    def _dashboard_chart(tables, height=100):
        """Bars of the monthly amounts (sell-in, sell-through, sell-out), scaled to `height`, for an inline SVG."""
        months = next((table for table in tables if table["key"] == "movement_month"), None)
        if not months or not months["rows"]:
            return None
        top = max(max(row[2], row[4], row[6]) for row in months["rows"]) or 0.0
        if top <= 0:
            return None
        return {
            "height": height,
            "months": [
                {
                    "label": row[0].strftime("%m"),
                    "title": row[0].strftime("%Y-%m"),
                    "bars": [(kind, row[2 + 2 * index], round(height * (row[2 + 2 * index] or 0.0) / top, 1))
                             for index, kind in enumerate(KINDS)],
                }
                for row in months["rows"]
            ],
        }

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------
    @http.route(["/my/dashboard"], type="http", auth="user", website=True)
    def portal_my_dashboard(self, **kwargs):
        member = request.env["distribution.member"]._for_user()
        if not member:
            return request.render("distribution_core.portal_no_channel", self._prepare_portal_layout_values())
        filters = self._dashboard_filters(member, kwargs)
        tables = [self._dashboard_table(key, member, filters) for key in self._dashboard_table_keys()]
        kpis = self._dashboard_kpis(tables)
        env = request.env
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_dashboard",
                "member": member,
                "filters": filters,
                "subtitle": env._(
                    "%(member)s and its sub-members, %(date_from)s – %(date_to)s",
                    member=filters["scope"].display_name,
                    date_from=format_date(env, filters["date_from"]),
                    date_to=format_date(env, filters["date_to"]),
                ),
                "periods": [(months, env._("Last %(months)s months", months=months)) for months in PERIODS],
                # completed in the template with the numbers of the table
                "truncated_note": env._("The first %(shown)s of %(total)s rows; the XLSX has all of them."),
                "subtree": request.env["distribution.member"].search([("id", "child_of", member.id)],
                                                                      order="parent_path"),
                "tables": tables,
                "kpis": kpis,
                "chart": self._dashboard_chart(tables),
                "html_rows": HTML_ROWS,
                "currency": request.env.company.currency_id,
                "query": {"months": filters["months"], "member_id": filters["scope"].id},
            }
        )
        return request.render("distribution_dashboard.portal_my_dashboard", values)

    @http.route(["/my/dashboard/xlsx/<string:key>"], type="http", auth="user", website=True)
    def portal_my_dashboard_xlsx(self, key, **kwargs):
        member = request.env["distribution.member"]._for_user()
        if not member or key not in self._dashboard_table_keys():
            raise request.not_found()
        filters = self._dashboard_filters(member, kwargs)
        table = self._dashboard_table(key, member, filters)
        data = self._dashboard_xlsx(table, member, filters)
        filename = f"{table['title']} - {table.get('member', filters['scope']).display_name}.xlsx".replace("/", "-")
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _dashboard_xlsx(self, table, member, filters):
        env = request.env
        output = io.BytesIO()
        workbook = xlsx_workbook(output)  # member and product names stay text
        sheet = workbook.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", table["title"])[:31])
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        currency = env.company.currency_id
        money = workbook.add_format({"num_format": f"#,##0.{'0' * currency.decimal_places}"})
        formats = {
            "qty": workbook.add_format({"num_format": "#,##0.00"}),
            "days": workbook.add_format({"num_format": "#,##0.0"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "money": money,
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "month": workbook.add_format({"num_format": "yyyy-mm"}),
        }
        sheet.write(0, 0, table["title"], bold)
        sheet.write(1, 0, env._("Member"))
        sheet.write(1, 1, table.get("member", filters["scope"]).display_name)
        sheet.write(2, 0, env._("Period"))
        sheet.write(2, 1, f"{filters['date_from']} – {filters['date_to']}")
        sheet.write(3, 0, env._("Currency"))
        sheet.write(3, 1, currency.name)
        first = 5
        if table.get("summary"):
            sheet.write(first, 0, table["summary"])
            first += 2
        for col, (label, _type) in enumerate(table["columns"]):
            sheet.write(first, col, label, header)
            sheet.set_column(col, col, 32 if col == 0 or _type == "text" else 16)
        for row_index, row in enumerate(table["rows"], start=first + 1):
            for col, (value, (_label, ctype)) in enumerate(zip(row, table["columns"], strict=True)):
                if value is None or value is False:
                    sheet.write_blank(row_index, col, None)
                elif ctype in ("date", "month"):
                    sheet.write_datetime(row_index, col, fields.Datetime.to_datetime(value), formats[ctype])
                elif ctype in formats:
                    sheet.write_number(row_index, col, value, formats[ctype])
                else:
                    sheet.write_string(row_index, col, str(value))
        workbook.close()
        return output.getvalue()
