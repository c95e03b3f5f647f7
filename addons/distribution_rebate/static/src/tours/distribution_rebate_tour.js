import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";
import { assertNoSideScroll, assertOnScreen } from "@distribution_core/tours/phone_utils";

// A channel manager creates a tiered agreement, computes the period and settles it.
registry.category("web_tour.tours").add("distribution_rebate_agreement_settle", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_rebate.menu_distribution_rebate", "distribution_rebate.menu_distribution_rebate_agreement", "Open the agreements"),
        {
            content: "New agreement",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour volume rebate",
        },
        {
            content: "For the Hangzhou dealer",
            trigger: ".o_field_widget[name=member_id] input",
            run: "edit Hangzhou Dealer",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains(Hangzhou Dealer)",
            run: "click",
        },
        {
            content: "Open the rebate types",
            trigger: ".o_field_widget[name=rebate_type] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Stepped, retroactive",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Stepped, retroactive)",
            run: "click",
        },
        {
            content: "Open the tiers tab",
            trigger: ".o_notebook .nav-link:contains(Tiers)",
            run: "click",
        },
        ...[
            ["0", "1"],
            ["10000", "2"],
            ["50000", "3"],
        ].flatMap(([threshold, rate]) => [
            {
                content: "Add a tier",
                trigger: ".o_field_widget[name=tier_line_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                content: "Threshold",
                trigger: ".o_field_widget[name=tier_line_ids] .o_selected_row .o_field_widget[name=threshold] input",
                run: `edit ${threshold}`,
            },
            {
                content: "Rate",
                trigger: ".o_field_widget[name=tier_line_ids] .o_selected_row .o_field_widget[name=rate] input",
                run: `edit ${rate}`,
            },
        ]),
        {
            content: "Approve",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Start",
            trigger: ".o_form_view button[name=action_start]",
            run: "click",
        },
        {
            content: "Compute the periods",
            trigger: ".o_form_view button[name=action_compute]",
            run: "click",
        },
        {
            content: "Open the current quarter",
            trigger: ".o_data_row:contains(602.00) .o_data_cell[name=member_id]",
            run: "click",
        },
        {
            content: "Next tier shown",
            trigger: ".o_form_view .o_field_widget[name=next_threshold]:contains(50,000)",
        },
        {
            content: "Settle",
            trigger: ".o_form_view button[name=action_settle]",
            run: "click",
        },
        {
            content: "Approve and post the settlement",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Posted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Posted)",
        },
    ],
});

// The dealer sees its credit note and how far the next tier is.
registry.category("web_tour.tours").add("distribution_rebate_portal", {
    url: "/my/rebates",
    steps: () => [
        {
            content: "The next-tier hint",
            trigger: ".o_portal_rebates .o_rebate_next_tier:contains(19,900.00 more to reach 50,000)",
        },
        {
            content: "The credit note",
            trigger: ".o_portal_rebates a.o_rebate_credit_note",
        },
    ],
});

// On a phone, the dealer reads what this quarter earned and how far the next tier is, without
// scrolling sideways.
registry.category("web_tour.tours").add("distribution_rebate_portal_phone", {
    url: "/my/rebates",
    steps: () => [
        {
            content: "This quarter's card: earned and the next tier, on screen",
            trigger: ".o_rebate_computation:has(.o_rebate_earned:contains(602.00)) .o_rebate_next_tier:contains(19,900.00 more to reach 50,000)",
            run({ anchor }) {
                assertNoSideScroll("My Rebates");
                const card = anchor.closest(".o_rebate_computation");
                for (const part of [".o_rebate_earned", ".o_rebate_next_tier", ".o_rebate_rate_applied", ".o_rebate_basis"]) {
                    assertOnScreen(card.querySelector(part));
                }
            },
        },
        {
            content: "The tiers are listed",
            trigger: ".o_portal_rebates .o_rebate_tiers:contains(50,000)",
            run({ anchor }) {
                assertOnScreen(anchor);
            },
        },
    ],
});
