/* global Sha1 */
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { formatCurrency } from "@web/core/currency";
import { parseFloat } from "@web/views/fields/parsers";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { ask, makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { ManagerSelectionPopup } from "./manager_selection_popup";

/** A typed price or discount as a number, 0 when empty or not a number (as the line does). */
function toNumber(value) {
    if (typeof value === "number") {
        return isNaN(value) ? 0 : value;
    }
    if (value === undefined || value === null || value === "") {
        return 0;
    }
    try {
        return parseFloat("" + value) || 0;
    } catch {
        return 0;
    }
}

/**
 * Price control at the till: a manual price or discount that takes a line below the
 * store's resale floor (distribution.price.floor) is refused unless a manager of the
 * point of sale approves it on the spot. The floor rules come with the config
 * (`_channel_floor_rules`), so this works offline; the server checks again on sync.
 */
patch(PosStore.prototype, {
    /** {byProduct: {id: {rank, floor}}, byCateg: {id: {rank, floor}}}, the deepest territory winning. */
    get channelFloorIndex() {
        const rules = this.config._channel_floor_rules || [];
        if (this._channelFloorIndex?.rules !== rules) {
            const byProduct = {};
            const byCateg = {};
            for (const rule of rules) {
                const [index, key] = rule.product_id
                    ? [byProduct, rule.product_id]
                    : [byCateg, rule.categ_id];
                if (!index[key] || rule.rank > index[key].rank) {
                    index[key] = { rank: rule.rank, floor: rule.resale_floor };
                }
            }
            this._channelFloorIndex = { rules, byProduct, byCateg };
        }
        return this._channelFloorIndex;
    },
    /** The store's minimum resale unit price of product (POS currency), or null. */
    getChannelFloor(product) {
        const { byProduct, byCateg } = this.channelFloorIndex;
        let found = byProduct[product.id];
        if (!found) {
            const seen = new Set();
            let categ = product.product_tmpl_id?.categ_id || product.categ_id;
            while (categ && !seen.has(categ.id) && !found) {
                seen.add(categ.id);
                found = byCateg[categ.id];
                categ = categ.parent_id;
            }
        }
        return found && found.floor ? found.floor : null;
    },
    /** Lines the floor is about (the server skips the same ones). */
    channelFloorApplies(line) {
        return Boolean(
            this.config._channel_floor_rules?.length &&
                line.product_id &&
                line.qty > 0 &&
                !line.refunded_orderline_id &&
                !line.combo_parent_id &&
                !line.combo_line_ids?.length &&
                !line.is_reward_line &&
                !(this.config._pos_special_products_ids || []).includes(line.product_id.id)
        );
    },
    /**
     * Whether line may take price_unit / discount: yes at or above the floor, or when a
     * manager approves (recorded on the line); otherwise the cashier is told the floor.
     */
    async channelCheckFloor(line, { price_unit = line.price_unit, discount = line.discount } = {}) {
        if (!this.channelFloorApplies(line)) {
            return true;
        }
        const floor = this.getChannelFloor(line.product_id);
        const disc = Math.min(Math.max(toNumber(discount), 0), 100);
        const net = toNumber(price_unit) * (1 - disc / 100);
        if (floor === null || !this.currency.isNegative(net - floor)) {
            this.channelSetFloorApprover(line, {});
            return true;
        }
        const currencyId = this.currency.id;
        const wantsApproval = await ask(this.dialog, {
            title: _t("Below the Minimum Resale Price"),
            body: _t(
                "%(product)s: %(price)s is below the store's minimum resale price of %(floor)s. The price is not applied unless a manager approves it.",
                {
                    product: line.full_product_name || line.product_id.display_name,
                    price: formatCurrency(net, currencyId),
                    floor: formatCurrency(floor, currencyId),
                }
            ),
            confirmLabel: _t("Manager Approval"),
            cancelLabel: _t("Discard"),
        });
        if (!wantsApproval) {
            return false;
        }
        const approver = await this.channelAskManagerApproval();
        if (!approver) {
            return false;
        }
        this.channelSetFloorApprover(line, approver);
        return true;
    },
    channelSetFloorApprover(line, { employee = false, user = false }) {
        const fields = this.models["pos.order.line"].fields;
        if (fields.channel_override_employee_id) {
            line.channel_override_employee_id = employee;
        }
        if (fields.channel_override_user_id) {
            line.channel_override_user_id = user;
        }
    },
    /** A manager of this point of sale: with employees, pick one and enter the PIN (pos_hr); else the logged-in manager. */
    async channelAskManagerApproval() {
        if (this.config.module_pos_hr) {
            const managers = this.models["hr.employee"].filter((emp) => emp._role === "manager");
            if (!managers.length) {
                this.dialog.add(AlertDialog, {
                    title: _t("No Manager"),
                    body: _t("No manager of this point of sale can approve the price."),
                });
                return null;
            }
            const employee = await makeAwaitable(this.dialog, ManagerSelectionPopup, {
                employees: managers,
            });
            if (!employee) {
                return null;
            }
            if (employee._pin) {
                const pin = await makeAwaitable(this.dialog, NumberPopup, {
                    formatDisplayedValue: (x) => x.replace(/./g, "•"),
                    title: _t("Password?"),
                });
                if (!pin || Sha1.hash(pin) !== employee._pin) {
                    this.notification.add(_t("PIN not found"), {
                        type: "warning",
                        title: _t("Wrong PIN"),
                    });
                    return null;
                }
            }
            return { employee };
        }
        if (this.user?._role === "manager") {
            return { user: this.user };
        }
        this.dialog.add(AlertDialog, {
            title: _t("Manager Approval Needed"),
            body: _t(
                "Only a Point of Sale manager can allow a price below the minimum resale price: ask a manager to open the register."
            ),
        });
        return null;
    },
    async setDiscountFromUI(line, val) {
        if (!(await this.channelCheckFloor(line, { discount: val }))) {
            return;
        }
        return await super.setDiscountFromUI(...arguments);
    },
});
