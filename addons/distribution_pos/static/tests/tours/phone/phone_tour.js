import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Numpad from "@point_of_sale/../tests/generic_helpers/numpad_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as Order from "@point_of_sale/../tests/generic_helpers/order_widget_util";
import * as SelectionPopup from "@point_of_sale/../tests/generic_helpers/selection_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { back } from "@point_of_sale/../tests/pos/tours/utils/common";
import * as PosHr from "@pos_hr/../tests/tours/utils/pos_hr_helpers";
import { assertNoSideScroll, assertOnScreen, phoneCheck } from "@distribution_core/tours/phone_utils";
import { registry } from "@web/core/registry";

const row = (product) => `.o_dms_replenish_line:has(.o_dms_replenish_product:contains("${product}"))`;

// A cashier's day at a channel store's till on a phone (the POS's small-screen layout): log in,
// sell a channel product, try a price below the resale floor, have the store manager approve it,
// take the payment, then send the store's replenishment order to its supplier.
registry.category("web_tour.tours").add("distribution_pos_phone_cashier_day", {
    steps: () =>
        [
            Chrome.clickBtn("Open Register"),
            PosHr.loginScreenIsShown(),
            PosHr.clickLoginButton(),
            SelectionPopup.has("Store Cashier", { run: "click" }),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Desk Organizer"),
            // the order, the line just added selected at the store's channel price, and the numpad
            ProductScreen.clickReview(),
            Order.hasLine({ withClass: ".selected", productName: "Desk Organizer", quantity: "1", price: "4.50" }),
            Numpad.click("Price"),
            Numpad.click("1"),
            Dialog.is({ title: "Set the new price" }),
            NumberPopup.enterValue("3.5"),
            NumberPopup.isShown("3.5"),
            Dialog.confirm(),
            phoneCheck(
                "Below the floor: the floor and the way out fit the phone",
                ".modal-dialog:has(.modal-title:contains(Below the Minimum Resale Price)) .modal-body:contains(4.00)",
                [".modal-dialog .modal-body", ".modal-footer .btn-primary", ".modal-footer .btn-secondary"],
            ),
            Dialog.confirm("Manager Approval"),
            Dialog.is({ title: "Manager Approval" }),
            SelectionPopup.has("Store Manager", { run: "click" }),
            NumberPopup.enterValue("4321"),
            NumberPopup.isShown("••••"),
            Dialog.confirm(),
            Dialog.isNot(),
            Order.hasLine({ withClass: ".selected", productName: "Desk Organizer", quantity: "1", price: "3.50" }),
            back(),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.isShown(),
            // replenish, from the order pane's "more" actions
            ProductScreen.clickReview(),
            ProductScreen.clickControlButtonMore(),
            { content: "open Replenish", trigger: ".o_dms_replenish_button", run: "click" },
            {
                content: "The replenishment fits the phone: product, on hand, suggestion, quantity and send button",
                trigger: `${row("Phone Tea")} .o_dms_suggested`,
                run({ anchor }) {
                    assertNoSideScroll("Replenish");
                    const line = anchor.closest(".o_dms_replenish_line");
                    for (const part of [".o_dms_replenish_product", ".o_dms_suggested", ".o_dms_replenish_qty"]) {
                        assertOnScreen(line.querySelector(part));
                    }
                    assertOnScreen(".o_dms_replenish_submit");
                },
            },
            {
                content: "order 5 teas",
                trigger: `${row("Phone Tea")} .o_dms_replenish_qty`,
                // the quantity is taken when the field is confirmed (Enter on the phone's keyboard)
                run: "edit 5 && press Enter",
            },
            {
                content: "send the order (one product in it)",
                trigger: ".o_dms_replenish_submit:not([disabled]) .badge:contains(1)",
                run: "click",
            },
            {
                content: "the supplier's order is confirmed",
                trigger: ".o_notification:contains('sent to your supplier for approval')",
            },
            ProductScreen.isShown(),
            Chrome.isSynced(),
        ].flat(),
});
