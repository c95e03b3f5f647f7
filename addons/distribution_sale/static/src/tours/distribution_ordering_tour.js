import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { phoneCheck } from "@distribution_core/tours/phone_utils";
import { stepUtils } from "@web_tour/tour_utils";

// A dealer orders from its distributor in the portal by pasting codes and using the catalogue.
registry.category("web_tour.tours").add("distribution_portal_order_paste", {
    url: "/my/channel/order",
    steps: () => [
        {
            content: "Open the paste box",
            trigger: ".o_channel_paste summary",
            run: "click",
        },
        {
            content: "Paste a code and a quantity",
            trigger: "textarea[name=lines]",
            run: "edit PA-001,3",
        },
        {
            content: "The cart counts the pasted line",
            trigger: ".o_channel_cart .o_channel_cart_pasted:not(.d-none):contains(1)",
        },
        {
            content: "Add a product from the catalogue with the + button",
            trigger: ".o_channel_product:contains(PB-002) .o_channel_qty_plus",
            run: "click",
        },
        {
            content: "The cart shows one product and its price as the running total",
            trigger: ".o_channel_cart .o_channel_cart_count:contains(1)",
            run() {
                const line = document.querySelector(".o_channel_product[data-code='PB-002']");
                const price = parseFloat(line.dataset.price).toLocaleString("en-US", { minimumFractionDigits: 2 });
                const total = document.querySelector(".o_channel_cart_total").textContent;
                if (!total.includes(price)) {
                    throw new Error(`cart total "${total}" is not the price ${price} of the one product`);
                }
            },
        },
        {
            content: "Submit",
            trigger: "button.o_channel_order_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The member is told the order went out",
            trigger: ".o_channel_order_submitted:contains(Zhejiang Distributor)",
        },
        {
            content: "The order waits for the distributor",
            trigger: ".o_channel_order_page .o_channel_order_state:contains(Submitted)",
        },
        {
            content: "Both lines, at channel price",
            trigger: ".o_channel_order_page tr:contains(PA-001):contains(3)",
        },
    ],
});

// The distributor approves its dealer's order in the portal.
registry.category("web_tour.tours").add("distribution_portal_approve", {
    url: "/my/approvals",
    steps: () => [
        {
            content: "Approve the dealer's order",
            trigger: ".o_channel_approval_card:contains(Hangzhou Dealer) button.o_channel_review_approve",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Nothing left to approve",
            trigger: ".o_channel_approvals:contains(Nothing waits for your approval)",
        },
    ],
});

// On a phone (390 px wide), the distributor approves its dealer's order from My Approvals: one card
// per approval, the order, the dealer and the amount first, both buttons on screen without
// scrolling sideways.
registry.category("web_tour.tours").add("distribution_portal_approve_phone", {
    url: "/my/approvals",
    steps: () => [
        {
            content: "The dealer's order is a card: the order, the dealer, the amount",
            trigger: ".o_dms_approval_card:contains(Hangzhou Dealer) .o_channel_approval_amount",
        },
        {
            content: "No table on a phone",
            trigger: ".o_dms_approvals:has(.o_dms_approval_table:not(:visible))",
        },
        phoneCheck(
            "Nothing wider than the screen; the amount and both buttons on screen, without scrolling",
            ".o_dms_approval_card:contains(Hangzhou Dealer) button.o_channel_review_approve",
            [
                ".o_dms_approval_card .o_channel_approval_amount",
                ".o_dms_approval_card button.o_channel_review_approve",
                ".o_dms_approval_card .o_channel_review_reject summary",
            ],
            { vertically: true }
        ),
        {
            content: "Approve with a tap",
            trigger: ".o_dms_approval_card:contains(Hangzhou Dealer) button.o_channel_review_approve",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Nothing left to approve",
            trigger: ".o_channel_approvals:contains(Nothing waits for your approval)",
        },
    ],
});

// HQ's channel manager approves a large sell-in order from the approval queue; the order confirms.
registry.category("web_tour.tours").add("distribution_backend_approve_sell_in", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_core.menu_distribution_approvals", "distribution_core.menu_distribution_approval_queue", "Open my approval queue"),
        {
            content: "Open the large order",
            trigger: ".o_data_row:contains(Large sell-in order) button[name=action_open_document]",
            run: "click",
        },
        {
            content: "No confirm button while the approval is pending",
            trigger: ".o_form_view:not(:has(button[name=action_confirm]:visible))",
        },
        {
            content: "Approve",
            trigger: ".o_form_view button[name=validate_tier]",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
