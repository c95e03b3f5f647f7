import { onWillDestroy, useState } from "@odoo/owl";
import { CustomerDisplay } from "@point_of_sale/customer_display/customer_display";
import { patch } from "@web/core/utils/patch";
import { session } from "@web/session";

const { DateTime } = luxon;
const TICK_MS = 60 * 1000; // dates re-checked every minute
const REFRESH_MS = 10 * 60 * 1000; // promotions read again every 10 minutes

/**
 * While the till is idle, the store's customer display shows the HQ
 * promotions of the store that run today; a promotion appears on its first
 * day and leaves after its last without reloading the screen.
 */
patch(CustomerDisplay.prototype, {
    setup() {
        super.setup(...arguments);
        this.dmsPromotions = useState({
            all: session.dms_promotions || [],
            today: DateTime.now().toISODate(),
        });
        const tick = setInterval(() => {
            this.dmsPromotions.today = DateTime.now().toISODate();
        }, TICK_MS);
        const refresh = setInterval(() => this.dmsRefreshPromotions(), REFRESH_MS);
        onWillDestroy(() => {
            clearInterval(tick);
            clearInterval(refresh);
        });
    },
    async dmsRefreshPromotions() {
        try {
            const response = await fetch(
                `/dist/promo/display/${session.config_id}?access_token=${encodeURIComponent(
                    session.access_token || ""
                )}`
            );
            if (response.ok) {
                this.dmsPromotions.all = (await response.json()).promotions;
            }
        } catch {
            // offline: keep showing what we have
        }
    },
    get dmsActivePromotions() {
        const today = this.dmsPromotions.today;
        return this.dmsPromotions.all.filter(
            (promotion) =>
                (!promotion.date_from || promotion.date_from <= today) &&
                (!promotion.date_to || today <= promotion.date_to)
        );
    },
});
