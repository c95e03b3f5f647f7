import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import { registry } from "@web/core/registry";

const row = (product) => `.o_dms_replenish_line:has(.o_dms_replenish_product:contains("${product}"))`;

registry.category("web_tour.tours").add("DistributionPosReplenishTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickControlButtonMore(),
            { content: "open Replenish", trigger: ".o_dms_replenish_button", run: "click" },
            {
                content: "the store's suggestion: 2 a day over 5 days, less the 4 on hand",
                trigger: `${row("Replenish Tea")} .o_dms_suggested:contains("6")`,
            },
            {
                content: "an unsold product in stock is a slow mover",
                trigger: `${row("Dusty Vase")} .o_dms_slow_mover`,
            },
            {
                content: "the cashier orders a bit more tea than suggested",
                trigger: `${row("Replenish Tea")} .o_dms_replenish_qty`,
                run: "edit 8",
            },
            {
                content: "send the order",
                trigger: ".o_dms_replenish_submit:not([disabled])",
                run: "click",
            },
            {
                content: "the supplier's order is confirmed",
                trigger: ".o_notification:contains('sent to your supplier for approval')",
            },
            ProductScreen.isShown(),
        ].flat(),
});
