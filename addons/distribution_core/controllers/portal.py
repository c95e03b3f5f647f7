from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


class DistributionPortal(PortalAccount):
    """'My channel': a member's own place, its subtree and its invitations."""

    def _get_invoices_domain(self, m_type=None):
        """'My Invoices' stays the company's own: record rules let a distributor
        read its sub-members' invoices, which it finds under My Channel."""
        partner = request.env.user.partner_id.commercial_partner_id
        return super()._get_invoices_domain(m_type) & Domain("partner_id", "child_of", partner.id)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # /my itself: the channel's cards are for channel members only (a promoter or a customer
            # with a portal login is not one)
            values["is_channel_member"] = bool(request.env["distribution.member"]._for_user())
        if "channel_member_count" in counters:
            member = request.env["distribution.member"]._for_user()
            values["channel_member_count"] = (
                request.env["distribution.member"].search_count([("id", "child_of", member.id), ("id", "!=", member.id)])
                if member
                else 0
            )
        return values

    def _channel_open_amounts(self, members):
        """Open receivable per member, in one grouped query (as the portal user:
        record rules restrict it to the user's subtree)."""
        groups = request.env["account.move"]._read_group(
            [
                ("channel_member_id", "in", members.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("payment_state", "not in", ("paid", "in_payment", "reversed")),
            ],
            ["channel_member_id"],
            ["amount_residual_signed:sum"],
        )
        return {member.id: amount for member, amount in groups}

    def _my_channel_values(self, subtree):
        """More values for My Channel, e.g. ``order_counts`` ({member id: number of orders}: the
        Orders column, from the ordering addon)."""
        return {}

    def _channel_member_values(self, member):
        """More values for a sub-member's page, e.g. ``orders`` (its orders, listed: from the
        ordering addon) and ``order_urls`` ({order id: its portal page}, for those the viewer may
        open)."""
        return {}

    @http.route(["/my/channel"], type="http", auth="user", website=True)
    def portal_my_channel(self, **kwargs):
        Member = request.env["distribution.member"]
        member = Member._for_user()
        if not member:
            return request.render("distribution_core.portal_no_channel", self._prepare_portal_layout_values())
        subtree = Member.search([("id", "child_of", member.id)], order="parent_path")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel",
                "member": member,
                "subtree": subtree - member,
                "open_amounts": self._channel_open_amounts(subtree),
                "root_depth": member.depth,
            }
        )
        values.update(self._my_channel_values(subtree))
        return request.render("distribution_core.portal_my_channel", values)

    @http.route(["/my/channel/member/<int:member_id>"], type="http", auth="user", website=True)
    def portal_channel_member(self, member_id, **kwargs):
        member = request.env["distribution.member"].browse(member_id).exists()
        try:
            member.check_access("read")
        except AccessError:
            member = None
        if not member:
            return request.redirect("/my/channel")
        invoices = request.env["account.move"].search(
            [
                ("channel_member_id", "=", member.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            limit=50,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_member",
                "member": member,
                "invoices": invoices,
                "open_amount": self._channel_open_amounts(member).get(member.id, 0.0),
            }
        )
        values.update(self._channel_member_values(member))
        return request.render("distribution_core.portal_channel_member", values)

    @http.route(["/my/channel/invitations"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_channel_invitations(self, **post):
        Member = request.env["distribution.member"]
        member = Member._for_user()
        if not member:
            return request.redirect("/my/channel")
        Tier = request.env["distribution.tier"]
        error = None
        if request.httprequest.method == "POST":
            tier_id = int(post.get("tier_id") or 0)
            territory_id = int(post.get("territory_id") or 0)
            try:
                with request.env.cr.savepoint():
                    request.env["distribution.invitation"].create(
                        {
                            "name": (post.get("name") or "").strip() or request.env._("Invitation"),
                            "inviter_member_id": member.id,
                            "tier_id": tier_id,
                            "territory_id": territory_id or False,
                            "max_uses": max(1, int(post.get("max_uses") or 1)),
                        }
                    )
                return request.redirect("/my/channel/invitations")
            except (ValidationError, AccessError, ValueError) as exc:
                error = str(exc.args[0]) if exc.args else str(exc)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_invitations",
                "member": member,
                "invitations": request.env["distribution.invitation"].search([("inviter_member_id", "=", member.id)]),
                "tiers": Tier.search([("sequence", ">", member.tier_id.sequence)]),
                "territories": request.env["distribution.territory"].search(
                    [("id", "child_of", member.territory_id.ids)] if member.territory_id else []
                ),
                "error_message": error,
            }
        )
        return request.render("distribution_core.portal_channel_invitations", values)
