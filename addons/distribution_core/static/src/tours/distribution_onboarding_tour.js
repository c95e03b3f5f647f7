import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";

const openMenu = (parentXmlid, xmlid) => openMenuSteps(parentXmlid, xmlid, "Open the sub-menu");

const pickMany2one = (field, text) => [
    {
        content: `Type in ${field}`,
        trigger: `.o_field_widget[name=${field}] input`,
        run: `edit ${text}`,
    },
    {
        content: `Pick ${text}`,
        trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:contains(${text})`,
        run: "click",
    },
];

// 1. A channel manager creates an invitation in the backend.
registry.category("web_tour.tours").add("distribution_invitation_create", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenu("distribution_core.menu_distribution_onboarding", "distribution_core.menu_distribution_invitation"),
        {
            content: "Create an invitation",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Ningbo dealer tour",
        },
        ...pickMany2one("inviter_member_id", "Zhejiang Distributor"),
        ...pickMany2one("tier_id", "Dealer (test)"),
        ...pickMany2one("territory_id", "Ningbo"),
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the breadcrumb shows its name",
            trigger: ".o_breadcrumb .active:contains(Ningbo dealer tour)",
        },
        {
            content: "The link to share is shown",
            trigger: ".o_field_widget[name=url]:contains(/dist/join/)",
        },
    ],
});

// 2. The applicant fills in the public form behind the link.
registry.category("web_tour.tours").add("distribution_onboarding_apply", {
    steps: () => [
        {
            content: "The form says who invites",
            trigger: ".o_dist_onboarding:contains(Zhejiang Distributor)",
        },
        { trigger: "input[name=name]", run: "edit Ningbo Harbour Trading" },
        { trigger: "input[name=vat]", run: "edit 91330200NB0000001X" },
        { trigger: "input[name=contact_name]", run: "edit Wang Fang" },
        { trigger: "input[name=email]", run: "edit wangfang@example.com" },
        { trigger: "input[name=city]", run: "edit Ningbo" },
        {
            content: "Send the application",
            trigger: ".o_dist_onboarding_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The application is received",
            trigger: ".o_dist_onboarding_thanks:contains(waiting for approval)",
        },
    ],
});

// 3. The channel manager approves it.
registry.category("web_tour.tours").add("distribution_application_approve", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenu("distribution_core.menu_distribution_onboarding", "distribution_core.menu_distribution_application"),
        {
            content: "Open the waiting application",
            trigger: ".o_data_cell:contains(Ningbo Harbour Trading)",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "The member is created",
            trigger: ".o_field_widget[name=member_id]:contains(Ningbo Harbour Trading)",
        },
    ],
});

// 4. The new dealer logs into the portal and sees its place in the tree.
registry.category("web_tour.tours").add("distribution_portal_my_channel", {
    url: "/my",
    steps: () => [
        {
            content: "Open My Channel",
            trigger: "a[href='/my/channel']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its place: under the Zhejiang distributor and the general agent",
            trigger: ".o_dist_member_path:contains(Alpha General Agent):contains(Zhejiang Distributor):contains(Ningbo Harbour Trading)",
        },
        {
            content: "Its tier",
            trigger: ".o_dist_member_tier:contains(Dealer (test))",
        },
    ],
});
