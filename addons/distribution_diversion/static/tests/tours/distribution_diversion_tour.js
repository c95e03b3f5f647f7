import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";

// The channel manager confirms a diversion incident (窜货事件) with a penalty.
registry.category("web_tour.tours").add("distribution_diversion_confirm", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_diversion.menu_distribution_anti_diversion", "distribution_diversion.menu_distribution_diversion_incident", "Open the incidents"),
        {
            content: "Open the incident under investigation: Jiangsu goods seen in Hangzhou",
            trigger: ".o_data_row:has(.o_data_cell:contains(Investigating)):has(.o_data_cell:contains(Hangzhou)) .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The evidence: the member the unit was supplied to",
            trigger: ".o_form_view .o_field_widget[name=expected_member_id]:contains(Nanjing Dealer)",
        },
        {
            content: "Confirm the diversion",
            trigger: ".o_form_view .o_form_statusbar button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Enter the penalty",
            trigger: ".modal .o_field_widget[name=penalty_amount] input",
            run: "edit 1500",
        },
        {
            content: "Note the findings",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Sold by the Nanjing dealer to a Hangzhou wholesaler",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer button[name=action_apply]:contains(Confirm)",
            run: "click",
        },
        {
            content: "The incident is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
        {
            content: "The penalty is recorded",
            trigger: ".o_form_view .o_field_widget[name=penalty_amount]:contains('1,500.00')",
        },
    ],
});
