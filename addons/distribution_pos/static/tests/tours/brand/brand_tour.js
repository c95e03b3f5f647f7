import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("DistributionPosBrandTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "the till's header bears the brand's logo while an order is open",
                trigger: ".pos-topheader img.o_dms_brand_logo[src$='/logo']",
            },
            ProductScreen.isShown(),
        ].flat(),
});
