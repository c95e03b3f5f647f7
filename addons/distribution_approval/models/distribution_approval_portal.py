"""What the portal page My Approvals shows of a document under approval and the decision a
portal reviewer takes there, a concern of the approval mixin (``tier.validation`` inherits this
mixin; see tier_validation.py). Documents override ``_dms_portal_approval_summary`` to name the
member who asks."""

from odoo import models
from odoo.exceptions import AccessError


class DistributionApprovalPortal(models.AbstractModel):
    _name = "distribution.approval.portal"
    _description = "Approval: Portal Decision"

    # Fields read, in this order, for the amount a portal reviewer sees first.
    _dms_portal_amount_fields = ("amount_total", "amount")

    def _dms_portal_approval_summary(self):
        """{id: {"kind", "name", "url", "member", "amount", "currency"}} of the documents of self, as the
        portal page "My Approvals" shows them to the current user (self may be sudo). A link is
        given only to a portal page the current user may open himself; addons override this to
        name their own page and the member who asks (``member``: a name, ``amount``: a number
        or False, ``currency``: a res.currency or False)."""
        user_records = self.sudo(False)
        readable = set(user_records._filtered_access("read").ids) if "access_url" in self._fields else set()
        amount_field = next(
            (name for name in self._dms_portal_amount_fields if self._fields.get(name, None) is not None
             and self._fields[name].type in ("monetary", "float")),
            None,
        )
        kind = self._get_to_validate_message_name()
        result = {}
        for record in self.sudo():
            partner = record["partner_id"] if "partner_id" in record._fields else None
            url = record.access_url if record.id in readable and record.access_url not in (False, "#") else False
            result[record.id] = {
                "kind": kind,
                "name": record.display_name,
                "url": url,
                "member": partner.commercial_partner_id.name if partner else False,
                "amount": record[amount_field] if amount_field else False,
                "currency": record["currency_id"] if "currency_id" in record._fields else False,
            }
        return result

    def _dms_portal_decide(self, review, decision, reason=None):
        """Approve or reject, from the portal, the review ``review`` of this document as the
        current user: the engine's own path (the reviewer must be the current user, at his step,
        as computed by the engine; nothing in the context switches a check off)."""
        self.ensure_one()
        if review not in self.env["tier.review"]._dms_portal_reviews():
            raise AccessError(self.env._("You are not a reviewer of %(name)s at this step.", name=self.display_name))
        # the rights of the engine; who decides stays the current user, and nothing the caller put
        # in the context (skip_validation_check, tier_validation_*...) comes along
        context = {key: self.env.context[key] for key in ("lang", "tz") if key in self.env.context}
        document = self.with_env(self.env(context=context, su=True))
        if decision == "approve":
            document._dms_approve()
        elif decision == "reject":
            document._dms_reject(reason)
        else:
            raise AccessError(self.env._("Unknown decision."))
