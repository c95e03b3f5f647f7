import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { useBarcodeReader } from "@point_of_sale/app/hooks/barcode_reader_hook";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { isLegacyCandidate, isWellFormed, normalizeCode } from "@distribution_diversion/js/dms_code";

/** The unit codes of a line (its Char field holds them comma-separated). */
export function lineUnitCodes(line) {
    return (line.dms_unit_codes || "").split(",").filter(Boolean);
}

/**
 * Anti-diversion at the till: the store scans the unit code of what it sells
 * (with the scanner, a "Channel Unit Code" barcode rule, or typed in "Scan Code").
 * A mistyped code is refused at once, offline (check character); otherwise the
 * server says whether the unit is genuine and was supplied to this store's region.
 * A genuine unit's product is added to the order with its code: the code is
 * marked sold when the order is paid.
 */
patch(PosStore.prototype, {
    async dmsScanUnitCode(text) {
        const code = normalizeCode(text || "");
        const legacy = this.config._dms_legacy_codes && isLegacyCandidate(code);
        if (!isWellFormed(code) && !legacy) {
            this.sound?.play("scan-error");
            this.dialog.add(AlertDialog, {
                title: _t("Not a Unit Code"),
                body: _t(
                    "%(code)s is not a valid unit code: check the code on the label and scan or type it again.",
                    { code: text || "" }
                ),
            });
            return null;
        }
        const order = this.getOrder();
        if (order?.lines.some((line) => lineUnitCodes(line).includes(code))) {
            this.notification.add(_t("Unit code %(code)s is already in this order.", { code }), {
                type: "warning",
            });
            return null;
        }
        let answer;
        try {
            answer = await this.data.call("pos.config", "dms_scan_code", [this.config.id, code]);
        } catch {
            // offline or server unreachable: nothing is queued, the sale goes on
            this.notification.add(
                _t(
                    "Unit code %(code)s could not be checked: the server cannot be reached. The sale can continue.",
                    { code }
                ),
                { type: "warning", title: _t("Code Not Checked") }
            );
            return null;
        }
        await this.dmsShowScanAnswer(answer);
        if (answer.result === "genuine" && answer.product_id) {
            await this.dmsAddScannedUnit(answer);
        }
        return answer;
    },
    async dmsShowScanAnswer(answer) {
        if (answer.result === "genuine" && !answer.diverted) {
            this.sound?.play("beep");
            this.notification.add(
                answer.product
                    ? _t("Genuine: %(product)s", { product: answer.product })
                    : _t("Genuine unit code."),
                { type: "success" }
            );
            return;
        }
        this.sound?.play("scan-error");
        let title, body;
        if (answer.diverted) {
            title = _t("Unit from Another Region");
            body = _t(
                "This unit was supplied to another region: possible cross-region selling (窜货). An incident was reported to the channel manager."
            );
            if (answer.bound_territory) {
                body += " " + _t("Supplied for: %(territory)s.", { territory: answer.bound_territory });
            }
        } else if (answer.result === "sold") {
            title = _t("Unit Already Sold");
            body =
                answer.message ||
                _t("This unit code was already sold: the label may have been copied. Check the goods.");
        } else if (answer.result === "malformed") {
            title = _t("Not a Unit Code");
            body = answer.message;
        } else {
            title = _t("Unknown Unit Code");
            body =
                answer.message ||
                _t("This code is not one of the brand's unit codes: the goods may not be genuine.");
        }
        this.dialog.add(AlertDialog, {
            title,
            body: answer.product ? `${answer.product}: ${body}` : body,
        });
    },
    /** Add the scanned unit's product to the order (one unit) and keep its code on the line. */
    async dmsAddScannedUnit(answer) {
        const product = this.models["product.product"].get(answer.product_id);
        if (!product) {
            return null;
        }
        const line = await this.addLineToCurrentOrder(
            { product_id: product, product_tmpl_id: product.product_tmpl_id },
            {},
            false
        );
        if (line && line.product_id?.id === product.id) {
            line.dms_unit_codes = [...lineUnitCodes(line), answer.code].join(",");
        }
        return line;
    },
});

patch(ProductScreen.prototype, {
    setup() {
        super.setup(...arguments);
        useBarcodeReader({
            dms_unit_code(code) {
                // a product barcode that merely looks like a unit code stays a product barcode
                if (!isWellFormed(normalizeCode(code.code))) {
                    return this._barcodeProductAction(code);
                }
                return this.pos.dmsScanUnitCode(code.code);
            },
        });
    },
});

patch(ControlButtons.prototype, {
    async clickDmsScanCode() {
        this.props.close?.();
        const text = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Scan a Unit Code"),
            placeholder: _t("The code on the unit's label"),
        });
        if (text && text.trim()) {
            await this.pos.dmsScanUnitCode(text.trim());
        }
    },
});
