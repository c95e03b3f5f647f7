import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("DmsAnnouncePosTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // the store acknowledges HQ's promotion at the till
            ProductScreen.clickControlButton("HQ Promotions"),
            {
                content: "the announced promotion is listed",
                trigger: ".o_dms_promotion_announcement_name:contains('East tea days')",
            },
            {
                content: "acknowledge it",
                trigger: ".o_dms_promotion_acknowledge",
                run: "click",
            },
            {
                content: "acknowledged",
                trigger: ".o_dms_promotion_acknowledged",
            },
            {
                content: "close",
                trigger: ".modal-footer .btn-secondary",
                run: "click",
            },
            // and applies it: 10% off the tea
            ProductScreen.addOrderline("Longjing Tea", "1"),
            PosLoyalty.hasRewardLine("10% on your order", "-10.00"),
            PosLoyalty.orderTotalIs("90.00"),
            PosLoyalty.finalizeOrder("Cash", "90"),
        ].flat(),
});

registry.category("web_tour.tours").add("DmsAnnounceBackendTour", {
    steps: () => [
        {
            content: "announce the promotion to its stores",
            trigger: ".o_form_view button[name='action_announce']",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the stores are announced",
            trigger: ".o_notification:contains('1 new store(s) announced')",
        },
    ],
});
