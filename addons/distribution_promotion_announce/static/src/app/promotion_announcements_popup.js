import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { patch } from "@web/core/utils/patch";

/**
 * HQ's promotions announced to the store, at the till: the cashier sees them
 * and acknowledges them for the store (the server checks that he is one of
 * the store's users).
 */
export class PromotionAnnouncementsPopup extends Component {
    static template = "distribution_promotion_announce.PromotionAnnouncementsPopup";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.notification = useService("notification");
        this.state = useState({ loading: true, announcements: [] });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.announcements = await this.pos.data.call("pos.config", "dms_promotion_announcements", [
                this.pos.config.id,
            ]);
        } catch {
            this.notification.add(_t("The promotions could not be loaded: check the connection."), {
                type: "danger",
            });
        } finally {
            this.state.loading = false;
        }
    }

    async acknowledge(announcement) {
        try {
            await this.pos.data.call("pos.config", "dms_acknowledge_promotion", [
                this.pos.config.id,
                announcement.id,
            ]);
            this.notification.add(_t("Acknowledged: HQ knows your store will apply it."), { type: "success" });
            await this.load();
        } catch (error) {
            this.notification.add(error?.data?.message || _t("Not acknowledged: check the connection."), {
                type: "danger",
            });
        }
    }
}

patch(ControlButtons.prototype, {
    clickDmsPromotions() {
        this.props.close?.();
        this.dialog.add(PromotionAnnouncementsPopup, {});
    },
});
