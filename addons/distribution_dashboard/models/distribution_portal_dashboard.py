import io
import re
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date

from odoo.addons.distribution_core.tools.safe_io import xlsx_workbook

PERIODS = (3, 6, 12, 24)
DEFAULT_MONTHS = 12
HTML_ROWS = 100  # the page shows the first rows of a table; its XLSX has all of them
KINDS = ("sell_in", "sell_through", "sell_out")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DistributionPortalDashboard(models.AbstractModel):
    """'My Dashboard' (/my/dashboard): the channel figures of a member's own subtree, as tables with an XLSX
    download, its key figures and its monthly chart. The portal controller reads the request and calls these
    methods; they read as the environment's user.

    Every figure is read through the ORM as the portal user: the record rules restrict the rows to the
    member's subtree (sales and stock) or to the member itself (rebates and statements), as in the back
    office. No figure is read as superuser: only the names of the products, which portal users may not
    read, are displayed with sudo."""

    _name = "distribution.portal.dashboard"
    _description = "Portal Dashboard of a Channel Member"

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    @api.model
    def _filters(self, member, months=None, member_id=None):
        """The period (last N months, the current one included) and the member of the subtree to show.
        `months` and `member_id` as the request gave them (text or None); unknown values fall back to the
        defaults: 12 months, the member itself."""
        try:
            months = int(months or DEFAULT_MONTHS)
        except ValueError:
            months = DEFAULT_MONTHS
        if months not in PERIODS:
            months = DEFAULT_MONTHS
        today = fields.Date.context_today(self.env.user)
        date_from = today.replace(day=1) - relativedelta(months=months - 1)
        scope = member
        try:
            scope_id = int(member_id or 0)
        except ValueError:
            scope_id = 0
        if scope_id and scope_id != member.id:
            # only a member of the user's own subtree (the record rules hide the others anyway)
            scope = self.env["distribution.member"].search(
                [("id", "=", scope_id), ("id", "child_of", member.id)], limit=1
            ) or member
        return {"months": months, "date_from": date_from, "date_to": today, "scope": scope}

    # ------------------------------------------------------------------
    # Tables: {"key", "title", "columns": [(label, type)], "rows": [[value, ...]], "note"}
    # types: text, date, month, qty, money, percent, days
    # ------------------------------------------------------------------
    @api.model
    def _dashboard_table_keys(self):
        return ["movement_month", "movement_product", "stock", "slow", "rebates", "statements"]

    @api.model
    def _dashboard_table(self, key, member, filters):
        return getattr(self, f"_dashboard_table_{key}")(member, filters)

    @api.model
    def _movement_columns(self, first):
        _ = self.env._
        return [
            (first[0], first[1]),
            (_("Sell-in Qty"), "qty"), (_("Sell-in Amount"), "money"),
            (_("Sell-through Qty"), "qty"), (_("Sell-through Amount"), "money"),
            (_("Sell-out Qty"), "qty"), (_("Sell-out Amount"), "money"),
        ]

    @api.model
    def _movement_groups(self, filters, groupby):
        domain = [
            ("member_id", "child_of", filters["scope"].id),
            ("date", ">=", filters["date_from"]),
            ("date", "<=", filters["date_to"]),
        ]
        groups = self.env["distribution.channel.movement"]._read_group(
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

    @api.model
    def _dashboard_table_movement_month(self, member, filters):
        _ = self.env._
        figures = self._movement_groups(filters, "date:month")
        rows = []
        month = filters["date_from"]
        while month <= filters["date_to"]:
            rows.append(self._movement_row(month, figures.get(month, {})))
            month += relativedelta(months=1)
        return {
            "key": "movement_month",
            "title": _("Sell-in, Sell-through and Sell-out by Month"),
            "columns": self._movement_columns((_("Month"), "month")),
            "rows": rows,
            "note": _("Sell-in: bought from HQ; sell-through: sold to other members; sell-out: sold to consumers."),
        }

    @api.model
    def _dashboard_table_movement_product(self, member, filters):
        _ = self.env._
        figures = self._movement_groups(filters, "product_id")
        # names only: the figures were read as the user (portal users do not read products)
        names = {product: product.sudo().display_name for product in figures}
        products = sorted(figures, key=lambda p: (-sum(amount for _q, amount in figures[p].values()), names[p]))
        return {
            "key": "movement_product",
            "title": _("Sell-in, Sell-through and Sell-out by Product"),
            "columns": self._movement_columns((_("Product"), "text")),
            "rows": [self._movement_row(names[product], figures[product]) for product in products],
        }

    @api.model
    def _analysis_rows(self, filters, extra_domain, order):
        return self.env["distribution.stock.analysis"].search(
            [("member_id", "child_of", filters["scope"].id), *extra_domain], order=order
        )

    @api.model
    def _dashboard_table_stock(self, member, filters):
        """The figures are read as the user; the product names with sudo (portal users do not read products)."""
        _ = self.env._
        rows = []
        for line in self._analysis_rows(filters, [], "member_id, product_id"):
            status = ", ".join(
                label for flag, label in ((line.is_slow, _("Slow mover")), (line.is_hot, _("Hot item"))) if flag
            )
            rows.append([
                line.member_id.display_name, line.product_id.sudo().display_name, line.on_hand, line.velocity,
                line.days_cover if line.velocity else None, line.turnover, line.suggested_qty, status,
            ])
        return {
            "key": "stock",
            "title": _("Stock Cover"),
            "columns": [
                (_("Member"), "text"), (_("Product"), "text"), (_("On Hand"), "qty"),
                (_("Velocity (units/day)"), "qty"), (_("Days of Cover"), "days"),
                (_("Inventory Turnover"), "qty"), (_("Suggested Quantity"), "qty"), (_("Status"), "text"),
            ],
            "rows": rows,
            "note": _("Days of cover: on hand / velocity (units sold per day over the analysis window)."),
        }

    @api.model
    def _dashboard_table_slow(self, member, filters):
        _ = self.env._
        lines = self._analysis_rows(filters, [("is_slow", "=", True)], "on_hand desc, member_id, product_id")
        return {
            "key": "slow",
            "title": _("Slow Movers"),
            "columns": [
                (_("Member"), "text"), (_("Product"), "text"), (_("On Hand"), "qty"),
                (_("Days of Cover"), "days"), (_("Last Outflow"), "date"),
            ],
            "rows": [
                [line.member_id.display_name, line.product_id.sudo().display_name, line.on_hand,
                 line.days_cover if line.velocity else None, line.last_outflow_date or None]
                for line in lines
            ],
        }

    @api.model
    def _dashboard_table_rebates(self, member, filters):
        _ = self.env._
        # the member's own rebates (the record rules show no other member's), of the periods in the window
        groups = self.env["distribution.rebate.report"]._read_group(
            [("member_id", "=", member.id), ("date_to", ">=", filters["date_from"]),
             ("date_from", "<=", filters["date_to"])],
            ["agreement_id", "date_from:day", "date_to:day"],
            ["accrued_amount:sum", "settled_amount:sum", "balance_amount:sum"],
            order="date_from:day desc, agreement_id",
        )
        return {
            "key": "rebates",
            "title": _("Rebates Accrued vs Settled"),
            "columns": [
                (_("Agreement"), "text"), (_("Period Start"), "date"), (_("Period End"), "date"),
                (_("Accrued"), "money"), (_("Settled"), "money"), (_("To Settle"), "money"),
            ],
            "rows": [
                [agreement.display_name, date_from, date_to, accrued, settled, balance]
                for agreement, date_from, date_to, accrued, settled, balance in groups
            ],
            "member": member,
            "note": _("The rebates of %(member)s, for the periods in the selected months.",
                      member=member.display_name),
        }

    @api.model
    def _dashboard_table_statements(self, member, filters):
        _ = self.env._
        Kpi = self.env["distribution.statement.kpi"]
        # the member's own statements (the record rules show no other member's), of the periods ending in the window
        domain = [("member_id", "=", member.id), ("date_to", ">=", filters["date_from"]),
                  ("date_to", "<=", filters["date_to"])]
        lines = Kpi.search(domain, order="date_to desc, id desc")
        state_labels = dict(Kpi._fields["state"]._description_selection(self.env))
        [(sent, confirmed, rate)] = Kpi._read_group(
            domain, [], ["sent_count:sum", "confirmed_count:sum", "confirmation_rate:sum"]
        )
        return {
            "key": "statements",
            "title": _("Statements"),
            "columns": [
                (_("Statement"), "text"), (_("Period Start"), "date"), (_("Period End"), "date"),
                (_("Status"), "text"), (_("Sent On"), "date"), (_("Confirmed On"), "date"),
                (_("Days to Confirm"), "days"),
            ],
            "rows": [
                [line.statement_id.display_name, line.date_from, line.date_to, state_labels.get(line.state, ""),
                 line.sent_date and line.sent_date.date(), line.confirmed_date and line.confirmed_date.date(),
                 line.days_to_confirm if line.state == "confirmed" else None]
                for line in lines
            ],
            "summary": _(
                "Confirmation rate: %(rate)s %% (%(confirmed)s of %(sent)s statements confirmed)",
                rate=f"{rate or 0.0:.1f}", confirmed=confirmed or 0, sent=sent or 0,
            ),
            "rate": (rate or 0.0) if sent else None,
            "member": member,
            "note": _("The statements sent to %(member)s, of the periods ending in the selected months.",
                      member=member.display_name),
        }

    # ------------------------------------------------------------------
    # Key figures and chart: read from the tables already computed, no further query
    # ------------------------------------------------------------------
    @api.model
    def _kpis(self, tables):
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

    @api.model
    def _chart(self, tables, height=100):
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
    # The page and the XLSX of a table
    # ------------------------------------------------------------------
    @api.model
    def _page_values(self, member, filters):
        """What the page template needs (beside the portal layout's values)."""
        _ = self.env._
        tables = [self._dashboard_table(key, member, filters) for key in self._dashboard_table_keys()]
        return {
            "page_name": "channel_dashboard",
            "member": member,
            "filters": filters,
            "subtitle": _(
                "%(member)s and its sub-members, %(date_from)s – %(date_to)s",
                member=filters["scope"].display_name,
                date_from=format_date(self.env, filters["date_from"]),
                date_to=format_date(self.env, filters["date_to"]),
            ),
            "periods": [(months, _("Last %(months)s months", months=months)) for months in PERIODS],
            # completed in the template with the numbers of the table
            "truncated_note": _("The first %(shown)s of %(total)s rows; the XLSX has all of them."),
            "subtree": self.env["distribution.member"].search([("id", "child_of", member.id)], order="parent_path"),
            "tables": tables,
            "kpis": self._kpis(tables),
            "chart": self._chart(tables),
            "html_rows": HTML_ROWS,
            "currency": self.env.company.currency_id,
            "query": {"months": filters["months"], "member_id": filters["scope"].id},
        }

    @api.model
    def _xlsx_file(self, key, member, filters):
        """(file name, XLSX content) of the table `key`, all of its rows."""
        table = self._dashboard_table(key, member, filters)
        data = self._xlsx(table, filters)
        filename = f"{table['title']} - {table.get('member', filters['scope']).display_name}.xlsx".replace("/", "-")
        return filename, data

    @api.model
    def _xlsx(self, table, filters):
        _ = self.env._
        output = io.BytesIO()
        workbook = xlsx_workbook(output)  # member and product names stay text
        sheet = workbook.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", table["title"])[:31])
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        currency = self.env.company.currency_id
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
        sheet.write(1, 0, _("Member"))
        sheet.write(1, 1, table.get("member", filters["scope"]).display_name)
        sheet.write(2, 0, _("Period"))
        sheet.write(2, 1, f"{filters['date_from']} – {filters['date_to']}")
        sheet.write(3, 0, _("Currency"))
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
