import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("DmsCustomerDisplayPromotionTour", {
    steps: () => [
        {
            content: "the idle display shows the store's running promotion",
            trigger: ".o_dms_display_promotion_name:contains('East tea days')",
        },
        {
            content: "not the promotion that starts later",
            trigger: ".o_dms_display_promotions:not(:contains('Autumn tea days'))",
        },
        {
            content: "with its text",
            trigger: ".o_dms_display_promotion:contains('Longjing tea: 10% off')",
        },
        {
            content: "and the QR code of its page",
            trigger: ".o_dms_display_promotion img.o_dms_display_promotion_qr[src*='dist%2Fpromo%2F']",
        },
    ],
});
