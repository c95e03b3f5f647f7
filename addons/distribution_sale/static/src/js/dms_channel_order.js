import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { formatCurrencyAmount } from "@distribution_sale/js/dms_money";

/**
 * Portal ordering on a phone: +/- steppers on every catalogue line (a pack at a
 * time when the product has a packaging) and a cart bar, always in view, with
 * the number of products and the running total at the member's prices. When the
 * whole catalogue is on the page, the search box and the category chips filter
 * it in place, so what is already in the cart stays there; otherwise (a catalogue
 * longer than the page holds) they fetch the matching products from the server
 * and put them in place of the lines not in the cart, without reloading the page:
 * the cart is kept either way. The server still prices and checks the order;
 * this only shows what the member is about to send.
 */
export class DistributionChannelOrder extends Interaction {
    static selector = ".o_channel_order_form";
    dynamicContent = {
        ".o_channel_qty_plus": { "t-on-click.prevent": (ev) => this.step(ev, 1) },
        ".o_channel_qty_minus": { "t-on-click.prevent": (ev) => this.step(ev, -1) },
        ".o_channel_qty input": { "t-on-input": this.refresh },
        "textarea[name=lines]": { "t-on-input": this.refresh },
        ".o_channel_catalogue_search[data-complete]": { "t-on-submit.prevent": this.filter },
        ".o_channel_catalogue_search[data-complete] input[name=search]": { "t-on-input": this.filter },
        ".o_channel_catalogue_search[data-complete] ~ .o_channel_categories .o_channel_category": {
            "t-on-click.prevent": this.selectCategory,
        },
        ".o_channel_catalogue_search:not([data-complete])": { "t-on-submit.prevent": this.load },
        ".o_channel_catalogue_search:not([data-complete]) ~ .o_channel_categories .o_channel_category": {
            "t-on-click.prevent": this.selectCategory,
        },
    };

    start() {
        this.refresh();
    }

    step(ev, delta) {
        const box = ev.currentTarget.closest(".o_channel_qty");
        const input = box.querySelector("input");
        const step = parseFloat(box.dataset.step) || 1;
        const value = Math.max(0, (parseFloat(input.value) || 0) + delta * step);
        input.value = value ? String(value) : "";
        this.refresh();
    }

    selectCategory(ev) {
        for (const chip of this.el.querySelectorAll(".o_channel_category")) {
            const active = chip === ev.currentTarget;
            chip.classList.toggle("btn-primary", active);
            chip.classList.toggle("btn-outline-secondary", !active);
        }
        if (this.el.querySelector(".o_channel_catalogue_search[data-complete]")) {
            this.filter();
        } else {
            this.load();
        }
    }

    /** A long catalogue: the matching products from the server, in place of the lines not in the cart. */
    async load() {
        const form = this.el.querySelector(".o_channel_catalogue_search");
        const params = new URLSearchParams();
        const text = form.querySelector("input[name=search]").value.trim();
        const chip = this.el.querySelector(".o_channel_category.btn-primary");
        if (text) {
            params.set("search", text);
        }
        if (chip && chip.dataset.category) {
            params.set("category", chip.dataset.category);
        }
        const response = await this.waitFor(fetch(`/my/channel/order?${params}`));
        const page = new DOMParser().parseFromString(await this.waitFor(response.text()), "text/html");
        const list = this.el.querySelector(".o_channel_catalogue");
        const inCart = new Set();
        for (const line of [...list.querySelectorAll(".o_channel_product")]) {
            const input = line.querySelector(".o_channel_qty input");
            if ((parseFloat(input.value) || 0) > 0) {
                inCart.add(input.name);
            } else {
                line.remove();
            }
        }
        let found = 0;
        for (const line of page.querySelectorAll(".o_channel_catalogue .o_channel_product")) {
            found += 1;
            if (!inCart.has(line.querySelector(".o_channel_qty input").name)) {
                this.insert(document.importNode(line, true), list, "beforeend", false);
            }
        }
        this.el.querySelector(".o_channel_no_match").classList.toggle("d-none", found > 0);
        this.refresh();
    }

    filter() {
        const text = (this.el.querySelector(".o_channel_catalogue_search input[name=search]").value || "")
            .trim()
            .toLowerCase();
        const chip = this.el.querySelector(".o_channel_category.btn-primary");
        const category = chip ? chip.dataset.category : "";
        let shown = 0;
        for (const line of this.el.querySelectorAll(".o_channel_product")) {
            const match =
                (!text || (line.dataset.search || "").includes(text)) &&
                (!category || line.dataset.category === category);
            line.classList.toggle("d-none", !match);
            line.classList.toggle("d-flex", match);
            shown += match ? 1 : 0;
        }
        this.el.querySelector(".o_channel_no_match").classList.toggle("d-none", shown > 0);
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
