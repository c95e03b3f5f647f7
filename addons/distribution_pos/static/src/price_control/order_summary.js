import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";

patch(OrderSummary.prototype, {
    /**
     * A line with a resale floor takes a new price or discount as a whole number (as
     * Odoo does for restricted price control), not digit by digit: each digit would
     * otherwise be a price below the floor on its way to the intended one.
     */
    async updateSelectedOrderline({ buffer, key }) {
        const line = this.pos.getOrder()?.getSelectedOrderline();
        const mode = this.pos.numpadMode;
        if (
            line &&
            buffer !== null &&
            ["price", "discount"].includes(mode) &&
            !line.isTipLine() &&
            this.pos.channelFloorApplies(line) &&
            this.pos.getChannelFloor(line.product_id) !== null
        ) {
            this.numberBuffer.reset();
            const isPrice = mode === "price";
            const value = await makeAwaitable(this.dialog, NumberPopup, {
                startingValue: isPrice ? line.price_unit : line.getDiscount(),
                title: isPrice ? _t("Set the new price") : _t("Set the new discount"),
            });
            if (value) {
                if (isPrice) {
                    await this.setLinePrice(line, value);
                } else {
                    await this.pos.setDiscountFromUI(line, value);
                }
            }
            return;
        }
        return await super.updateSelectedOrderline(...arguments);
    },
    async setLinePrice(line, price) {
        if (!(await this.pos.channelCheckFloor(line, { price_unit: price }))) {
            return;
        }
        return await super.setLinePrice(...arguments);
    },
});
