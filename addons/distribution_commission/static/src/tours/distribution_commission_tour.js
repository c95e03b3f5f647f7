import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";
import { phoneCheck } from "@distribution_core/tours/phone_utils";

// The promoter finds his referral link and QR code.
registry.category("web_tour.tours").add("distribution_commission_share", {
    url: "/my/earnings",
    steps: () => [
        {
            content: "The referral link",
            trigger: ".o_portal_earnings .o_referral_link:contains(/r/)",
        },
        {
            content: "The QR code",
            trigger: ".o_portal_earnings img.o_referral_qr",
        },
    ],
});

// A visitor follows the link and creates an account.
registry.category("web_tour.tours").add("distribution_commission_signup", {
    steps: () => [
        {
            content: "Invited by the promoter",
            trigger: ".o_referral_landing:contains(invites you)",
        },
        {
            content: "Create an account",
            trigger: ".o_referral_landing a.o_referral_signup",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Email",
            trigger: "form.oe_signup_form input[name=login]",
            run: "edit hanmeimei@example.com",
        },
        {
            content: "Name",
            trigger: "form.oe_signup_form input[name=name]",
            run: "edit Han Meimei",
        },
        {
            content: "Password",
            trigger: "form.oe_signup_form input[name=password]",
            run: "edit Hanmeimei-2026!",
        },
        {
            content: "Confirm",
            trigger: "form.oe_signup_form input[name=confirm_password]",
            run: "edit Hanmeimei-2026!",
        },
        {
            content: "Sign up",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed in",
            trigger: ".o_portal, .o_frontend_to_backend_nav, #wrapwrap",
        },
    ],
});

// The promoter sees the commission, frozen, then (time passed) withdraws it.
registry.category("web_tour.tours").add("distribution_commission_frozen", {
    url: "/my/earnings",
    steps: () => [
        {
            content: "A frozen commission",
            trigger: ".o_portal_earnings .o_commission_row .o_commission_state:contains(Frozen)",
        },
        {
            content: "The masked customer",
            trigger: ".o_portal_earnings li:contains(H** M*****)",
        },
    ],
});

registry.category("web_tour.tours").add("distribution_commission_withdraw", {
    url: "/my/earnings",
    steps: () => [
        {
            content: "Available now",
            trigger: ".o_portal_earnings .o_commission_row .o_commission_state:contains(Available)",
        },
        {
            content: "The amount",
            trigger: ".o_portal_earnings input[name=amount]",
            run: "edit 150",
        },
        {
            content: "Request the withdrawal",
            trigger: ".o_portal_earnings button.o_withdraw",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Sent for approval",
            trigger: ".o_portal_earnings .alert-success:contains(sent for approval)",
        },
    ],
});

// Finance approves the withdrawal: the vendor bill is posted.
registry.category("web_tour.tours").add("distribution_commission_approve", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_commission.menu_distribution_commission", "distribution_commission.menu_distribution_commission_withdrawal", "Open the withdrawals"),
        {
            content: "Open the request",
            trigger: ".o_data_row:contains(Promoter) .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Approve and pay",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Paid",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Paid)",
        },
    ],
});

// My Earnings on a phone (390 × 844): what he may withdraw first, in view without scrolling; each
// commission and withdrawal a card with its amount and state on screen; nothing scrolls sideways.
registry.category("web_tour.tours").add("distribution_commission_earnings_phone", {
    url: "/my/earnings",
    steps: () => [
        phoneCheck(
            "Available first, in view",
            ".o_portal_earnings .o_earnings_available .o_amount_available:contains(250.00)",
            [".o_earnings_available", ".o_amount_available", ".o_amount_frozen"],
            { vertically: true },
        ),
        phoneCheck(
            "A commission card: its amount and state on screen",
            ".o_portal_earnings .o_commission_card:has(.o_commission_card_amount:contains(100.00)) .o_commission_card_state:contains(Available)",
            [".o_commission_card .o_commission_card_amount", ".o_commission_card .o_commission_card_state"],
        ),
        phoneCheck(
            "A withdrawal card: the amount and that it was rejected",
            ".o_portal_earnings .o_withdrawal_card:has(.o_withdrawal_card_amount:contains(50.00)) .o_withdrawal_card_state:contains(Rejected)",
            [".o_withdrawal_card .o_withdrawal_card_amount", ".o_withdraw_form input[name=amount]", "button.o_withdraw"],
        ),
        {
            content: "The wide-screen tables are hidden on a phone",
            trigger: ".o_portal_earnings .o_commission_list",
            run() {
                if (document.querySelector(".o_portal_earnings .o_commission_row")?.offsetParent) {
                    throw new Error("the commissions table is shown on a phone");
                }
            },
        },
    ],
});
