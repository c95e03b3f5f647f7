from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class PosConfig(models.Model):
    _inherit = "pos.config"

    channel_member_id = fields.Many2one(
        "distribution.member",
        string="Channel Store",
        index="btree_not_null",
        domain=[("state", "=", "active")],
        help="The store of the channel this point of sale belongs to. The POS then sells "
        "at the store's channel pricelist, with no pricelist to choose by hand.",
    )
    dms_replenish_window_days = fields.Integer(
        string="Sales Window (days)",
        default=28,
        help="Replenishment: the average daily sales are taken over this many days, today included.",
    )
    dms_replenish_lead_days = fields.Integer(
        string="Lead Time (days)", default=3, help="Replenishment: days between ordering and receiving the goods."
    )
    dms_replenish_safety_days = fields.Integer(
        string="Safety Stock (days)", default=2, help="Replenishment: days of sales kept in stock on top of the lead time."
    )
    dms_replenish_slow_days = fields.Integer(
        string="Slow Mover after (days)",
        default=30,
        help="Replenishment: a product in stock that did not sell for this many days is marked as a slow mover.",
    )

    @api.constrains(
        "dms_replenish_window_days", "dms_replenish_lead_days", "dms_replenish_safety_days", "dms_replenish_slow_days"
    )
    def _check_replenish_settings(self):
        for config in self:
            if config.dms_replenish_window_days < 1:
                raise ValidationError(self.env._("The sales window of %(pos)s must be at least one day.", pos=config.name))
            if min(config.dms_replenish_lead_days, config.dms_replenish_safety_days, config.dms_replenish_slow_days) < 0:
                raise ValidationError(
                    self.env._("The replenishment days of %(pos)s cannot be negative.", pos=config.name)
                )

    def dms_replenishment_lines(self):
        """The till's Replenish screen: suggested quantities per product (see distribution.pos.replenishment)."""
        self.ensure_one()
        return self.env["distribution.pos.replenishment"]._lines(self)

    def dms_submit_replenishment(self, lines):
        """The till's Replenish screen: order [{product_id, qty}] from the store's supplier."""
        self.ensure_one()
        return self.env["distribution.pos.replenishment"]._submit(self, lines)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("channel_member_id"):
                vals.update(self._prepare_channel_pricelist_vals(vals["channel_member_id"]))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("channel_member_id"):
            vals = dict(vals, **self._prepare_channel_pricelist_vals(vals["channel_member_id"]))
        return super().write(vals)

    @api.model
    def _prepare_channel_pricelist_vals(self, member_id):
        """The store's channel pricelist becomes the POS's only pricelist."""
        member = self.env["distribution.member"].browse(member_id)
        pricelist = member.pricelist_id
        if not pricelist:
            raise ValidationError(
                self.env._(
                    "Store %(store)s has no channel pricelist: give its tier a default pricelist or add a "
                    "pricelist rule for it first.",
                    store=member.display_name,
                )
            )
        return {
            "use_pricelist": True,
            "pricelist_id": pricelist.id,
            "available_pricelist_ids": [Command.set(pricelist.ids)],
        }

    # Price control at the till -------------------------------------------------

    def _channel_is_floor_approver(self, employee, user):
        """Whether employee (with employees at the till) or user (without) may allow
        a price below the resale floor: a manager of this point of sale."""
        self.ensure_one()
        # the cashier syncing the order may not read employees, their users or groups
        config, employee, user = self.sudo(), employee.sudo(), user.sudo()
        manager_group = config.group_pos_manager_id
        if config.module_pos_hr:
            return bool(employee) and (
                employee in config.advanced_employee_ids or manager_group in employee.user_id.all_group_ids
            )
        return bool(user) and manager_group in user.all_group_ids

    def _channel_floor_rules(self):
        """The resale floor rules that can apply in the store's territory, for the till
        to resolve a product's floor offline (product rule first, then the nearest
        category; the deepest territory wins, as distribution.price.floor._get_floors).
        One search, a few dozen rows: no per-product work at load time."""
        self.ensure_one()
        store = self.channel_member_id
        if not store:
            return []
        chain = [int(i) for i in (store.territory_id.parent_path or "").split("/") if i]
        depth = {territory_id: rank for rank, territory_id in enumerate(chain, start=1)}
        # floors are HQ's settings the cashier cannot read in the backend
        floors = self.env["distribution.price.floor"].sudo().search(
            [("company_id", "=", self.company_id.id), ("territory_id", "in", [*chain, False])]
        )
        today = fields.Date.context_today(self)
        return [
            {
                "product_id": floor.product_id.id,
                "categ_id": floor.categ_id.id,
                "rank": depth.get(floor.territory_id.id, 0),
                "resale_floor": floor.currency_id._convert(floor.resale_floor, self.currency_id, self.company_id, today),
            }
            for floor in floors
        ]

    @api.model
    def _load_pos_data_read(self, records, config):
        read_records = super()._load_pos_data_read(records, config)
        if read_records:
            read_records[0]["_channel_floor_rules"] = config._channel_floor_rules()
        return read_records

    def _get_program_ids(self):
        """The loyalty programs of this POS, less the HQ promotions published
        to other stores (see loyalty.program._is_published_to_store).

        Filtering here rather than computing ``pos_config_ids`` from the
        publication: in pos_loyalty an empty ``pos_config_ids`` means "every
        point of sale", so a publication that reaches no store yet would leak
        to every till; and a stored list would need refreshing whenever a POS
        changes store, a store changes tier or territory, a territory moves or
        a POS is created. This method is where pos_loyalty decides, on the
        server too, which programs a POS gets: the data loaded in the POS
        (programs, rules, rewards, reward products), coupon and promotion codes
        (use_coupon_code), the checks before opening a session, the gift cards
        mailed with receipts. Evaluated when asked, it follows the store's
        current place. Orders are not refused at synchronisation for a program
        the POS no longer gets: an order taken offline must still sync.
        """
        programs = super()._get_program_ids()
        # sudo: the cashier need not read the channel, only whether the
        # publication reaches the store
        store = self.sudo().channel_member_id
        allowed = programs.sudo().filtered(lambda program: program._is_published_to_store(store))
        return allowed.with_env(programs.env)
