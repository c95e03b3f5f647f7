import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";

// A channel manager reviews and publishes a price version prepared by a colleague.
registry.category("web_tour.tours").add("distribution_price_publish", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_sale.menu_distribution_pricing", "distribution_sale.menu_distribution_price_publication", "Open the price publications"),
        {
            content: "Open the spring prices",
            trigger: ".o_data_cell:contains(Spring dealer prices)",
            run: "click",
        },
        {
            content: "Old and new price side by side",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(800.00):contains(850.00)",
        },
        {
            content: "Submit for review",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "Approve",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Publish",
            trigger: ".o_form_view button[name=action_publish]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Published",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Published)",
        },
    ],
});

// A dealer sees its new prices in the portal.
registry.category("web_tour.tours").add("distribution_portal_my_prices", {
    url: "/my/channel",
    steps: () => [
        {
            content: "Open My Prices",
            trigger: "a.o_dist_prices_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its pricelist",
            trigger: ".o_dist_pricelist:contains(Dealers)",
        },
        {
            content: "The new price, announced before it takes effect",
            trigger: ".o_dist_price_line:contains(Spring dealer prices):contains(850.00):contains(Upcoming)",
        },
    ],
});
