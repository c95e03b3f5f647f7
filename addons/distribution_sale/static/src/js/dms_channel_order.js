import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { formatCurrencyAmount } from "@distribution_sale/js/dms_money";

/**
 * Portal ordering on a phone: +/- steppers on every catalogue line and a cart
 * bar, always in view, with the number of products and the running total at
 * the member's prices. The server still prices and checks the order; this only
 * shows what the member is about to send.
 */
export class DistributionChannelOrder extends Interaction {
    static selector = ".o_channel_order_cart_form";
    dynamicContent = {
        ".o_channel_qty_plus": { "t-on-click.prevent": (ev) => this.step(ev, 1) },
        ".o_channel_qty_minus": { "t-on-click.prevent": (ev) => this.step(ev, -1) },
        ".o_channel_qty input": { "t-on-input": this.refresh },
        "textarea[name=lines]": { "t-on-input": this.refresh },
    };

    start() {
        this.refresh();
    }

    step(ev, delta) {
        const input = ev.currentTarget.closest(".o_channel_qty").querySelector("input");
        const value = Math.max(0, (parseFloat(input.value) || 0) + delta);
        input.value = value ? String(value) : "";
        this.refresh();
    }

    refresh() {
        let count = 0;
        let total = 0;
        for (const line of this.el.querySelectorAll(".o_channel_product")) {
            const qty = parseFloat(line.querySelector(".o_channel_qty input").value) || 0;
            line.classList.toggle("bg-primary-subtle", qty > 0);
            if (qty > 0) {
                count += 1;
                total += qty * (parseFloat(line.dataset.price) || 0);
            }
        }
        const textarea = this.el.querySelector("textarea[name=lines]");
        const pasted = textarea ? textarea.value.split("\n").filter((l) => l.trim()).length : 0;
        this.el.querySelector(".o_channel_cart_count").textContent = String(count);
        this.el.querySelector(".o_channel_cart_pasted_count").textContent = String(pasted);
        this.el.querySelector(".o_channel_cart_pasted").classList.toggle("d-none", !pasted);
        const totalEl = this.el.querySelector(".o_channel_cart_total");
        totalEl.textContent = formatCurrencyAmount(total, totalEl.dataset);
    }
}

registry.category("public.interactions").add("distribution_sale.channel_order", DistributionChannelOrder);
