from odoo import api, fields, models
from odoo.fields import Domain


class LoyaltyProgram(models.Model):
    """HQ promotions published to the channel's stores by tier and territory.

    A program with no channel tier and no channel territory is not published
    to the channel and behaves exactly as in pos_loyalty. A published program
    runs only in the points of sale of the active stores it reaches: the
    store's tier is one of the tiers (if tiers are given) and the store's
    territory lies in one of the territories or their sub-territories (if
    territories are given). ``pos_config_ids`` keeps working as an extra,
    manual restriction on top of the publication. The point of sale applies
    the publication in ``pos.config._get_program_ids`` (pos_config.py).
    """

    _inherit = "loyalty.program"

    channel_tier_ids = fields.Many2many(
        "distribution.tier",
        "loyalty_program_distribution_tier_rel",
        "program_id",
        "tier_id",
        string="Channel Tiers",
        help="Publish the program to the stores of these tiers. Empty: every tier.",
    )
    channel_territory_ids = fields.Many2many(
        "distribution.territory",
        "loyalty_program_distribution_territory_rel",
        "program_id",
        "territory_id",
        string="Channel Territories",
        help="Publish the program to the stores of these territories and of their sub-territories. "
        "Empty: every territory.",
    )
    channel_published = fields.Boolean(
        string="Published to the Channel",
        compute="_compute_channel_published",
        store=True,
        help="The program runs only in the points of sale of the stores its channel tiers and territories reach.",
    )
    channel_pos_config_ids = fields.Many2many(
        "pos.config",
        string="Eligible Points of Sale",
        compute="_compute_channel_pos_config_ids",
        help="Points of sale of the stores the publication reaches (within the points of sale chosen above, if any).",
    )

    @api.depends("channel_tier_ids", "channel_territory_ids")
    def _compute_channel_published(self):
        for program in self:
            program.channel_published = bool(program.channel_tier_ids or program.channel_territory_ids)

    @api.depends("channel_tier_ids", "channel_territory_ids", "pos_config_ids", "pos_ok")
    def _compute_channel_pos_config_ids(self):
        PosConfig = self.env["pos.config"]
        for program in self:
            if not (program.pos_ok and program.channel_published):
                program.channel_pos_config_ids = PosConfig
                continue
            domain = program._get_channel_pos_config_domain()
            if program.pos_config_ids:
                domain &= Domain("id", "in", program.pos_config_ids.ids)
            program.channel_pos_config_ids = PosConfig.search(domain)

    def _get_channel_pos_config_domain(self):
        """Domain on pos.config: the points of sale of the stores this
        program is published to (all points of sale if it is not published)."""
        self.ensure_one()
        if not self.channel_published:
            return Domain.TRUE
        domain = Domain("channel_member_id.state", "=", "active")
        if self.channel_tier_ids:
            domain &= Domain("channel_member_id.tier_id", "in", self.channel_tier_ids.ids)
        if self.channel_territory_ids:
            domain &= Domain("channel_member_id.territory_id", "child_of", self.channel_territory_ids.ids)
        return domain

    def _is_published_to_store(self, store):
        """Whether this program may run in the points of sale of ``store``
        (a distribution.member, possibly empty)."""
        self.ensure_one()
        if not self.channel_published:
            return True
        if not store or store.state != "active":
            return False
        # an archived tier or territory still restricts the publication
        tiers = self.with_context(active_test=False).channel_tier_ids
        territories = self.with_context(active_test=False).channel_territory_ids
        if tiers and store.tier_id not in tiers:
            return False
        if territories:
            path = store.territory_id.parent_path
            if not path or not any(path.startswith(territory.parent_path) for territory in territories):
                return False
        return True
