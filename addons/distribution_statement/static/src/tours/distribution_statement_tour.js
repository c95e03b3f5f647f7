import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";
import { phoneCheck } from "@distribution_core/tours/phone_utils";

// An accountant runs last month's statements and sends them.
registry.category("web_tour.tours").add("distribution_statement_run", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_statement.menu_distribution_statement", "distribution_statement.menu_distribution_statement_run", "Open the statement runs"),
        {
            content: "New run (last month, all members by default)",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Create the statements",
            trigger: ".o_form_view button[name=action_run]",
            run: "click",
        },
        {
            content: "The Hangzhou dealer's statement is there",
            trigger: ".o_list_view .o_data_row:contains(Hangzhou Dealer)",
        },
        {
            content: "Back to the run",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(STR/)",
            run: "click",
        },
        {
            content: "Send them",
            trigger: ".o_form_view button[name=action_send]",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});

// The dealer disputes one entry of its statement in the portal.
registry.category("web_tour.tours").add("distribution_statement_dispute", {
    url: "/my/statements",
    steps: () => [
        {
            content: "Open the statement",
            trigger: ".o_portal_statements a:first",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Tick the disputed entry",
            trigger: ".o_portal_statement input.o_statement_line_check",
            run: "click",
        },
        {
            content: "Say what is wrong",
            trigger: ".o_portal_statement textarea[name=comment]",
            run: "edit We received 9, not 10",
        },
        {
            content: "Dispute",
            trigger: ".o_portal_statement button.o_statement_dispute",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Sent to the accountant",
            trigger: ".o_portal_statement .alert-warning:contains(Your dispute was sent)",
        },
    ],
});

// The accountant answers the dispute with a corrected statement.
registry.category("web_tour.tours").add("distribution_statement_resolve", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_statement.menu_distribution_statement", "distribution_statement.menu_distribution_statement_dispute", "Open the disputes"),
        {
            content: "Open the dealer's dispute",
            trigger: ".o_data_row:contains(We received 9) .o_data_cell[name=comment]",
            run: "click",
        },
        {
            content: "How it is resolved",
            trigger: ".o_field_widget[name=resolution] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "With a corrected statement",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Corrected statement)",
            run: "click",
        },
        {
            content: "The answer",
            trigger: ".o_field_widget[name=answer] textarea",
            run: "edit Credit note for the missing unit: see the corrected statement.",
        },
        {
            content: "Resolve and answer",
            trigger: ".o_form_view button[name=action_resolve]",
            run: "click",
        },
        {
            content: "Resolved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Resolved)",
        },
    ],
});

// The dealer reads the answer and confirms the corrected version.
registry.category("web_tour.tours").add("distribution_statement_confirm", {
    url: "/my/statements",
    steps: () => [
        {
            content: "Open the corrected version",
            trigger: ".o_portal_statements a:contains(v2)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "What changed is shown",
            trigger: ".o_portal_statement:contains(What changed since the previous version)",
        },
        {
            content: "Confirm",
            trigger: ".o_portal_statement button.o_statement_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirmed",
            trigger: ".o_portal_statement .alert-success:contains(the statement is confirmed)",
        },
    ],
});

// On a phone, the dealer finds last month's statement, reads what it owes and confirms it.
registry.category("web_tour.tours").add("distribution_statement_confirm_phone", {
    url: "/my/statements",
    steps: () => [
        phoneCheck(
            "My Statements fits the phone, the closing balance in view",
            ".o_portal_statements .o_statement_row:contains(Sent) .o_statement_row_closing:contains(1,000.00)",
            [".o_statement_row .o_statement_row_closing"],
        ),
        {
            content: "Open the statement",
            trigger: ".o_portal_statements .o_statement_row a",
            run: "click",
            expectUnloadPage: true,
        },
        phoneCheck(
            "What the dealer owes comes first; the entries' balance and the confirm button are on screen",
            ".o_statement_summary .o_statement_summary_closing:contains(1,000.00)",
            [".o_statement_summary_closing", ".o_statement_line_amount", ".o_statement_closing", ".o_statement_confirm"],
        ),
        {
            content: "Confirm",
            trigger: ".o_portal_statement button.o_statement_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        phoneCheck(
            "Confirmed",
            ".o_portal_statement .alert-success:contains(the statement is confirmed)",
            [".o_portal_statement .o_statement_state"],
        ),
    ],
});
