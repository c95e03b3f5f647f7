import { registry } from "@web/core/registry";
import { Component, onWillStart, useState } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { patch } from "@web/core/utils/patch";

/**
 * Replenish: the store's suggested reorder quantities (average daily sales over the
 * window × (lead time + safety days) − on hand − on order), computed by the server;
 * the cashier adjusts them and sends one order to the store's supplier in the channel.
 */
export class ReplenishScreen extends Component {
    static template = "distribution_pos.ReplenishScreen";
    static storeOnOrder = false;
    static props = { orderUuid: { type: String, optional: true } };

    setup() {
        this.pos = usePos();
        this.notification = useService("notification");
        this.state = useState({ loading: true, error: false, submitting: false, lines: [] });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.error = false;
        try {
            const lines = await this.pos.data.call("pos.config", "dms_replenishment_lines", [this.pos.config.id]);
            this.state.lines = lines.map((line) => ({ ...line, qty: line.suggested }));
        } catch {
            this.state.error = _t(
                "The suggestions could not be loaded: check the connection to the server and try again."
            );
        } finally {
            this.state.loading = false;
        }
    }

    get total() {
        return this.state.lines.filter((line) => line.qty > 0).length;
    }

    setQty(line, value) {
        const qty = parseFloat(value);
        line.qty = isNaN(qty) || qty < 0 ? 0 : qty;
    }

    async submit() {
        const lines = this.state.lines
            .filter((line) => line.qty > 0)
            .map((line) => ({ product_id: line.product_id, qty: line.qty }));
        if (!lines.length) {
            this.notification.add(_t("Enter a quantity for at least one product."), { type: "warning" });
            return;
        }
        this.state.submitting = true;
        try {
            const order = await this.pos.data.call("pos.config", "dms_submit_replenishment", [
                this.pos.config.id,
                lines,
            ]);
            this.notification.add(_t("Order %s sent to your supplier for approval.", order.name), {
                type: "success",
            });
            this.back();
        } catch (error) {
            const message = error?.data?.message || error?.message;
            this.notification.add(
                message || _t("The order could not be sent: check the connection and try again."),
                { type: "danger" }
            );
        } finally {
            this.state.submitting = false;
        }
    }

    back() {
        this.pos.navigate("ProductScreen", { orderUuid: this.pos.getOrder()?.uuid });
    }
}

registry.category("pos_pages").add("ReplenishScreen", {
    name: "ReplenishScreen",
    component: ReplenishScreen,
    route: `/pos/ui/${odoo.pos_config_id}/replenish`,
    params: {},
});

patch(ControlButtons.prototype, {
    clickReplenish() {
        this.props.close?.();
        this.pos.navigate("ReplenishScreen", { orderUuid: this.pos.getOrder()?.uuid });
    },
});
