import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import { isLegacyCandidate, isWellFormed, normalizeCode } from "@distribution_diversion/js/dms_code";

/**
 * The public scan page (/dist/scan): refuses a mistyped code before sending it (check
 * character), and adds the browser's location when the scanner allows it.
 */
export class DistributionScanPage extends Interaction {
    static selector = ".o_dist_scan_form";
    dynamicContent = {
        _root: { "t-on-submit": this.onSubmit },
        ".o_dist_scan_locate": { "t-on-click.prevent": this.locate },
        "input[name=code]": { "t-on-input": this.onInput },
    };

    get codeInput() {
        return this.el.querySelector("input[name=code]");
    }

    setStatus(text) {
        this.el.querySelector(".o_dist_scan_location_status").textContent = text;
    }

    onInput() {
        this.codeInput.classList.remove("is-invalid");
    }

    onSubmit(ev) {
        const code = normalizeCode(this.codeInput.value);
        const legacy = this.el.dataset.legacyCodes && isLegacyCandidate(code);
        if (!isWellFormed(code) && !legacy) {
            ev.preventDefault();
            this.codeInput.classList.add("is-invalid");
        }
    }

    locate() {
        if (!navigator.geolocation) {
            this.setStatus(_t("Your browser cannot share its location."));
            return;
        }
        this.setStatus(_t("Locating…"));
        navigator.geolocation.getCurrentPosition(
            (position) => {
                this.el.querySelector("input[name=latitude]").value = position.coords.latitude.toFixed(5);
                this.el.querySelector("input[name=longitude]").value = position.coords.longitude.toFixed(5);
                this.setStatus(_t("Location added."));
            },
            () => this.setStatus(_t("Location not shared: the code is checked without it.")),
            { timeout: 10000, maximumAge: 600000 }
        );
    }
}

registry.category("public.interactions").add("distribution_diversion.scan_page", DistributionScanPage);
