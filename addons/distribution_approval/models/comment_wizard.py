"""The OCA comment wizard: on documents under channel rules, only the user's own reviews."""

from odoo import models
from odoo.exceptions import AccessError

from ..tools import ENGINE


class CommentWizard(models.TransientModel):
    _inherit = "comment.wizard"

    def add_comment(self):
        self.ensure_one()
        # the wizard runs as the engine: a wizard pointed at one document (even one no channel
        # rule is about) must not carry the protected reviews of another one, whose comment it
        # would overwrite and which it would approve out of turn
        foreign = self.review_ids._dms_protected().filtered(
            lambda r: (r.model, r.res_id) != (self.res_model, self.res_id)
        )
        if foreign:
            raise AccessError(
                self.env._("Approve or reject with the Validate / Reject buttons; reviews cannot be edited.")
            )
        record = self.env[self.res_model].browse(self.res_id) if self.res_model in self.env else None
        channel = bool(record is not None and getattr(record, "_dms_approval", False) and record._dms_channel_reviews())
        if channel:
            # the wizard is created by the client: only the user's own reviews of that document
            record._check_reviewer_can_act()
            user = self.env.user
            self.review_ids = self.review_ids.filtered(
                lambda r: r.model == self.res_model and r.res_id == self.res_id and user in r.reviewer_ids
            )
        res = super(CommentWizard, self.with_context(dms_tier_engine=ENGINE)).add_comment()
        record = self.env[self.res_model].browse(self.res_id)
        if self.validate_reject == "validate" and channel:
            record._dms_after_review()
        return res
