/* global posmodel */
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Notification from "@point_of_sale/../tests/generic_helpers/notification_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";
import { isWellFormed } from "@distribution_diversion/js/dms_code";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The well-formed code made of prefix padded with zeros and a check character,
 * at the shortest length accepted; the test builds the same codes
 * (test_pos_diversion.tour_code).
 */
export function tourCode(prefix) {
    for (let length = 8; length <= 40; length++) {
        const body = (prefix + "0".repeat(length)).slice(0, length);
        for (const check of CROCKFORD) {
            if (isWellFormed(body + check)) {
                return body + check;
            }
        }
    }
    throw new Error(`no well-formed code for ${prefix}`);
}

/** Type a code in the "Scan Code" dialog (keyboard entry, no scanner). */
function typeCode(code) {
    return [
        ProductScreen.clickControlButton("Scan Code"),
        Dialog.is({ title: "Scan a Unit Code" }),
        TextInputPopup.inputText(code),
        Dialog.confirm("Apply"),
    ].flat();
}

function closeDialog() {
    return [Dialog.confirm(), Dialog.isNot()];
}

/**
 * The Hangzhou store sells units with their codes: genuine (supplied in
 * Zhejiang), diverted (supplied in Jiangsu), unknown (well-formed, never
 * issued), offline (genuine, scanned while the server is unreachable).
 */
registry.category("web_tour.tours").add("distribution_pos_diversion", {
    steps: () => {
        const codes = {
            genuine: tourCode("GENVNE"),
            diverted: tourCode("DVRTED"),
            unknown: tourCode("VNKNWN"),
            offline: tourCode("0FF11NE"),
        };
        // typed by hand: lower case, in groups of four
        codes.genuine_typed = codes.genuine.toLowerCase().match(/.{1,4}/g).join("-");
        return [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // a mistyped code is refused at once, without asking the server
            typeCode("HELLO-WORLD"),
            Dialog.is({ title: "Not a Unit Code" }),
            Dialog.bodyIs("HELLO-WORLD"),
            closeDialog(),

            // the scanner reads a unit supplied to another province: warning, incident reported
            scan_barcode(codes.diverted),
            Dialog.is({ title: "Unit from Another Region" }),
            Dialog.bodyIs("possible cross-region selling"),
            Dialog.bodyIs("An incident was reported to the channel manager"),
            Dialog.bodyIs("Supplied for: Jiangsu"),
            closeDialog(),
            // the sale goes on: the unit is on the order
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1"),

            // a unit of this region, typed in lower case with dashes: genuine, one more unit
            typeCode(codes.genuine_typed),
            Notification.has("Genuine"),
            Dialog.isNot(),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "2"),
            // the same unit again is not counted twice
            scan_barcode(codes.genuine),
            Notification.has("already in this order"),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "2"),

            // a well-formed code the brand never issued
            scan_barcode(codes.unknown),
            Dialog.is({ title: "Unknown Unit Code" }),
            closeDialog(),

            // the server cannot be reached: the cashier is told, nothing is queued, the sale goes on
            OfflineUtil.setOfflineMode(),
            scan_barcode(codes.offline),
            Notification.has("could not be checked"),
            OfflineUtil.setOnlineMode(),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "2"),

            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the paid order is on the server",
                trigger: ".receipt-screen",
                run: async () => await posmodel.syncAllOrders(),
            },
            Chrome.isSynced(),
        ].flat();
    },
});
