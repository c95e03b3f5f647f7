/* global posmodel */
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as SelectionPopup from "@point_of_sale/../tests/generic_helpers/selection_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as PosHr from "@pos_hr/../tests/tours/utils/pos_hr_helpers";
import { registry } from "@web/core/registry";

function payCash() {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Cash"),
        PaymentScreen.clickValidate(),
        ReceiptScreen.isShown(),
    ].flat();
}

function enterNewPrice(price) {
    return [
        ProductScreen.clickNumpad("Price"),
        // a line with a floor takes its new price as a whole, in a popup
        ProductScreen.clickNumpad("1"),
        Dialog.is({ title: "Set the new price" }),
        NumberPopup.enterValue(price),
        NumberPopup.isShown(price),
        Dialog.confirm(),
    ].flat();
}

registry.category("web_tour.tours").add("distribution_pos_price_control_channel_price", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Desk Organizer"),
            // the store's channel pricelist price, not the list price (5.10)
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.50"),
            // a price at the floor is taken without asking anybody
            enterNewPrice("4"),
            Dialog.isNot(),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.00"),
            ProductScreen.clickDisplayedProduct("Magnetic Board"),
            ProductScreen.selectedOrderlineHas("Magnetic Board", "1", "1.98"),
            // its category's floor in the wider region applies; a cashier cannot approve
            enterNewPrice("1"),
            Dialog.bodyIs("1.50"),
            Dialog.confirm("Manager Approval"),
            Dialog.is({ title: "Manager Approval Needed" }),
            Dialog.confirm(),
            Dialog.isNot(),
            ProductScreen.selectedOrderlineHas("Magnetic Board", "1", "1.98"),
            ProductScreen.totalAmountIs("5.98"),
            payCash(),
        ].flat(),
});

registry.category("web_tour.tours").add("distribution_pos_price_control_below_floor", {
    steps: () =>
        [
            Chrome.clickBtn("Open Register"),
            PosHr.loginScreenIsShown(),
            PosHr.clickLoginButton(),
            SelectionPopup.has("Store Cashier", { run: "click" }),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Desk Organizer"),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.50"),
            // the till works offline: floors and manager PINs are already there
            OfflineUtil.setOfflineMode(),

            // below the floor: refused, the floor is shown, the price stays
            enterNewPrice("3.5"),
            Dialog.is({ title: "Below the Minimum Resale Price" }),
            Dialog.bodyIs("4.00"),
            Dialog.confirm("Discard", ".btn-secondary"),
            Dialog.isNot(),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.50"),

            // a discount below the floor too (4.50 - 20% = 3.60)
            ProductScreen.clickNumpad("%"),
            ProductScreen.clickNumpad("2"),
            Dialog.is({ title: "Set the new discount" }),
            NumberPopup.enterValue("20"),
            Dialog.confirm(),
            Dialog.bodyIs("4.00"),
            Dialog.confirm("Discard", ".btn-secondary"),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.50"),

            // a wrong PIN approves nothing
            enterNewPrice("3.5"),
            Dialog.confirm("Manager Approval"),
            SelectionPopup.has("Store Manager", { run: "click" }),
            NumberPopup.enterValue("9999"),
            Dialog.confirm(),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.50"),

            // the store manager approves with the PIN: the price is kept
            enterNewPrice("3.5"),
            Dialog.bodyIs("4.00"),
            Dialog.confirm("Manager Approval"),
            Dialog.is({ title: "Manager Approval" }),
            SelectionPopup.has("Store Manager", { run: "click" }),
            NumberPopup.enterValue("4321"),
            NumberPopup.isShown("••••"),
            Dialog.confirm(),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "3.50"),
            ProductScreen.clickNumpad("Qty"),
            ProductScreen.clickNumpad("2"),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "2", "7.00"),
            payCash(),
            Dialog.confirm("Continue with limited functionality"),
            OfflineUtil.setOnlineMode(),
            ReceiptScreen.clickNextOrder(),
            {
                content: "send the order paid offline to the server",
                trigger: ".product-screen",
                run: async () => await posmodel.syncAllOrders(),
            },
            Chrome.isSynced(),
        ].flat(),
});
