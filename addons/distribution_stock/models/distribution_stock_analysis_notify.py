"""The notices of new slow movers and hot items, apart from the nightly refresh and the
replenishment suggestions of the analysis (distribution_stock_analysis.py): one message to each
member's portal users and one activity for its channel manager, in the member's language."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_date

# products listed per section in one notification, the rest counted
NOTIFY_MAX_LINES = 30


class DistributionStockAnalysis(models.Model):
    _inherit = "distribution.stock.analysis"

    @api.model
    def _notify_new_flags(self, limit=None):
        """Tell each member with new slow movers or hot items (one message to its portal users)
        and its channel manager (one activity), for up to `limit` members. Returns whether
        members are left to notify."""
        self.env["distribution.stock.analysis"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT DISTINCT member_id FROM distribution_stock_analysis WHERE NOT flag_notified "
                "ORDER BY member_id %s",
                SQL("LIMIT %s", limit + 1) if limit else SQL(),
            )
        )
        member_ids = [row[0] for row in cr.fetchall()]
        remaining = bool(limit) and len(member_ids) > limit
        member_ids = member_ids[:limit] if limit else member_ids
        if not member_ids:
            return False
        # the new flags of these members, the first NOTIFY_MAX_LINES of each kind by product code
        cr.execute(
            SQL(
                """
                WITH new_flag AS (
                    SELECT a.member_id, a.product_id, a.is_slow AND NOT a.was_slow AS slow, a.on_hand,
                           a.last_outflow_date, a.days_cover, a.velocity, a.suggested_qty, pp.default_code
                      FROM distribution_stock_analysis a
                      JOIN product_product pp ON pp.id = a.product_id
                     WHERE a.member_id = ANY(%(members)s) AND NOT a.flag_notified
                       AND ((a.is_slow AND NOT a.was_slow) OR (a.is_hot AND NOT a.was_hot))
                ),
                ranked AS (
                    SELECT *, ROW_NUMBER() OVER w AS rank, COUNT(*) OVER (PARTITION BY member_id, slow) AS total
                      FROM new_flag
                    WINDOW w AS (PARTITION BY member_id, slow ORDER BY default_code NULLS LAST, product_id)
                )
                SELECT member_id, slow, total, product_id, on_hand::float8, last_outflow_date, days_cover::float8,
                       velocity::float8, suggested_qty::float8
                  FROM ranked
                 WHERE rank <= %(max_lines)s
              ORDER BY member_id, slow DESC, rank
                """,
                members=member_ids,
                max_lines=NOTIFY_MAX_LINES,
            )
        )
        flags = defaultdict(lambda: {True: [], False: []})
        totals = defaultdict(dict)
        for member_id, slow, total, *line in cr.fetchall():
            flags[member_id][slow].append(line)
            totals[member_id][slow] = total
        members = self.env["distribution.member"].sudo().browse(member_ids)
        partners_by_member = self._member_portal_partners(members)
        product_ids = {line[0] for member_flags in flags.values() for lines in member_flags.values() for line in lines}
        product_names = {}  # {lang: {product id: name}}: product names are translatable

        def names_in(lang):
            if lang not in product_names:
                products = self.env["product.product"].sudo().with_context(active_test=False, lang=lang).browse(product_ids)
                product_names[lang] = {product.id: product.display_name for product in products}
            return product_names[lang]

        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("distribution.member")
        activities = []
        for member in members:
            if member.id not in flags:
                continue
            slow_count, hot_count = totals[member.id].get(True, 0), totals[member.id].get(False, 0)
            recipients = self.env["res.partner"].sudo().browse(partners_by_member.get(member.id, []))
            # the member reads it in its own language, with dates in its own format and time zone
            lang, tz = self._notice_lang_tz(member, recipients)
            for_member = self.with_context(lang=lang, tz=tz)
            body = for_member._flag_message_body(member, flags[member.id], slow_count, hot_count, names_in(lang))
            member.message_post(
                body=body,
                subject=for_member.env._("Channel inventory: new slow movers and hot items"),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
            if member.manager_id and activity_type:
                # the channel manager's to-do: in the manager's language
                manager = member.manager_id
                for_manager = self.with_context(lang=manager.lang or self.env.lang, tz=manager.tz or tz)
                if (manager.lang or self.env.lang) != lang:
                    note = for_manager._flag_message_body(
                        member, flags[member.id], slow_count, hot_count, names_in(for_manager.env.lang)
                    )
                else:
                    note = body
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": member.id,
                        "activity_type_id": activity_type.id,
                        "user_id": manager.id,
                        "date_deadline": fields.Date.context_today(for_manager),
                        "summary": for_manager.env._(
                            "%(member)s: %(slow)s new slow mover(s), %(hot)s new hot item(s)",
                            member=member.name,
                            slow=slow_count,
                            hot=hot_count,
                        ),
                        "note": note,
                    }
                )
        if activities:
            # the activity is the manager's notice (in its to-do list): no assignment email on top
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activities)
        cr.execute(
            SQL(
                "UPDATE distribution_stock_analysis SET flag_notified = TRUE "
                "WHERE member_id = ANY(%s) AND NOT flag_notified",
                member_ids,
            )
        )
        self.invalidate_model(["flag_notified"])
        return remaining

    @api.model
    def _member_portal_partners(self, members):
        """{member id: [partner ids]} of the portal users of each member's company."""
        users = (
            self.env["res.users"]
            .sudo()
            .search([("share", "=", True), ("partner_id.commercial_partner_id", "in", members.partner_id.ids)])
        )
        member_of_partner = {member.partner_id.id: member.id for member in members}
        result = defaultdict(list)
        for user in users:
            result[member_of_partner[user.partner_id.commercial_partner_id.id]].append(user.partner_id.id)
        return result

    @api.model
    def _notice_lang_tz(self, member, recipients):
        """The language and time zone of the member's notice (as its statements): the one language
        its portal users read if they agree, else the member's (its company partner's); the same
        for the time zone. Falls back to the sender's."""
        langs = set(recipients.mapped("lang")) - {False}
        lang = langs.pop() if len(langs) == 1 else member.partner_id.lang
        lang = (lang and self.env["res.lang"]._get_code(lang)) or self.env.lang
        zones = set(recipients.mapped("tz")) - {False}
        tz = zones.pop() if len(zones) == 1 else member.partner_id.tz
        return lang, tz or self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.model
    def _flag_message_body(self, member, flags, slow_count, hot_count, product_names):
        """The HTML of a member's notification, in the context's language (dates in its format);
        flags = {is slow: [(product id, on hand, last outflow, cover, velocity, suggested)]}, at
        most NOTIFY_MAX_LINES of each kind."""

        def section(title, lines, count, describe):
            if not lines:
                return Markup()
            items = Markup().join(Markup("<li>%s</li>") % describe(*line) for line in lines)
            if count > len(lines):
                items += Markup("<li>%s</li>") % self.env._("and %(count)s more", count=count - len(lines))
            return Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (title, items)

        def describe_slow(product_id, on_hand, last_date, cover, velocity, suggested):
            if last_date:
                return self.env._(
                    "%(product)s: %(on_hand)s on hand, last sold on %(date)s, %(cover)s days of cover",
                    product=product_names[product_id],
                    on_hand=f"{on_hand:g}",
                    date=format_date(self.env, last_date),
                    cover=f"{cover:.0f}" if velocity else "∞",
                )
            return self.env._(
                "%(product)s: %(on_hand)s on hand, no sale in the period",
                product=product_names[product_id],
                on_hand=f"{on_hand:g}",
            )

        def describe_hot(product_id, on_hand, last_date, cover, velocity, suggested):
            return self.env._(
                "%(product)s: %(velocity)s per day, %(cover)s days of cover, suggested order %(qty)s",
                product=product_names[product_id],
                velocity=f"{velocity:.2f}",
                cover=f"{cover or 0.0:.1f}",
                qty=f"{suggested:g}",
            )

        intro = Markup("<p>%s</p>") % self.env._(
            "The nightly stock analysis of %(member)s found new slow movers or hot items. Your replenishment "
            "suggestions are in the portal under Replenishment Suggestions.",
            member=member.name,
        )
        return (
            intro
            + section(self.env._("New slow movers"), flags[True], slow_count, describe_slow)
            + section(self.env._("New hot items"), flags[False], hot_count, describe_hot)
        )
