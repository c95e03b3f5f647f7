"""The statements of the demo channel (loaded with the demo data only): last month's, in every state."""

from datetime import timedelta

from odoo import Command, api, fields, models


class DistributionStatement(models.Model):
    _inherit = "distribution.statement"

    @api.model
    def _generate_demo(self):
        """Last month's statements of the demo channel, in every state."""
        hq = self.env.ref("distribution_core.demo_company_hq", raise_if_not_found=False)
        if not hq or self.search_count([("company_id", "=", hq.id)]):
            return True
        self = self.with_company(hq).with_context(tracking_disable=True, mail_notrack=True)
        date_to = fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        if not hq.statement_user_id:
            # the accountant who answers the members' disputes (a person, not OdooBot)
            accountant = self.env["res.users"].create(
                {
                    "name": "王芳",
                    "login": "accountant",
                    "password": "accountant",
                    "function": "往来会计",
                    "email": "wangfang@huaxia.example.com",
                    "company_id": hq.id,
                    "company_ids": [Command.set(hq.ids)],
                    "tz": "Asia/Shanghai",
                    "notification_type": "inbox",
                    "group_ids": [
                        Command.set(
                            [
                                self.env.ref("account.group_account_invoice").id,
                                self.env.ref("distribution_core.group_channel_user").id,
                            ]
                        )
                    ],
                }
            )
            self.env["ir.model.data"]._update_xmlids(
                [{"xml_id": "distribution_statement.demo_user_accountant", "record": accountant, "noupdate": True}]
            )
            hq.statement_user_id = accountant
        # the demo sends its emails while the modules are being installed, before Odoo loads their
        # translations: load them now, so that the demo's emails are what a member receives (Chinese
        # for the Chinese members), as on a database in use
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self.env["ir.module.module"]._load_module_terms(["mail", "distribution_statement"], langs)
        run = self.env["distribution.statement.run"].create(
            {"company_id": hq.id, "date_from": date_to.replace(day=1), "date_to": date_to}
        )
        run.action_run()
        # the members with entries first: their statements tell a story
        statements = run.statement_ids.sorted(lambda s: (-len(s.line_ids), s.member_id.code or ""))
        if len(statements) < 6 or not statements[5].line_ids:
            return True
        draft, sent, confirmed, disputed, resolved, corrected = statements[:6]
        (statements - draft).action_send()

        def portal_user(statement):
            user = self.env["res.users"].search(
                [("partner_id.commercial_partner_id", "=", statement.partner_id.id), ("share", "=", True)], limit=1
            )
            return statement.with_user(user) if user else statement

        portal_user(confirmed).action_confirm()
        portal_user(disputed)._dispute(disputed.line_ids[:1], "这张发票的数量与我们的入库单不符，请核对。")
        dispute = portal_user(resolved)._dispute(resolved.line_ids[:1], "这笔款项我们已于月底付出，请查收。")
        dispute.write({"resolution": "explanation", "answer": "款项已于次月 2 日到账，将出现在下期对账单中。"})
        dispute.action_resolve()
        line = corrected.line_ids.filtered(lambda entry: entry.document_type == "invoice")[:1]
        dispute = portal_user(corrected)._dispute(line, "发票单价高于协议价，每箱差 5 元。")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": corrected.partner_id.id,
                "invoice_date": date_to,
                "ref": f"价格差异调整 {line.reference}",
                "invoice_line_ids": [
                    Command.create({"name": "价格差异调整", "quantity": 1, "price_unit": 50.0, "tax_ids": []})
                ],
            }
        )
        refund.action_post()
        dispute.write({"resolution": "correction", "answer": "已开具 50 元价格差异红字发票，请确认新版对账单。"})
        dispute.action_resolve()
        portal_user(dispute.corrected_statement_id).action_confirm()
        return True
