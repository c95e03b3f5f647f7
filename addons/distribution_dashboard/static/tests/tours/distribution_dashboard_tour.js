import { registry } from "@web/core/registry";
import { openMenuSteps } from "@distribution_core/tours/menu_utils";
import { stepUtils } from "@web_tour/tour_utils";

// A channel manager's morning: the Channel dashboards, then the slow movers, down to one member's product.
registry.category("web_tour.tours").add("distribution_dashboard_manager", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("distribution_core.menu_distribution_root", "Open the Channel app"),
        ...openMenuSteps("distribution_core.menu_distribution_reporting", "distribution_dashboard.menu_distribution_dashboards", "Open the dashboards"),
        {
            content: "The Channel Sales dashboard is open",
            trigger: ".o_spreadsheet_dashboard_action .o_search_panel_category_value.active:contains(Channel Sales)",
        },
        {
            content: "and loaded without error",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status)) .o_renderer .o-grid",
        },
        {
            content: "Its filters are there, on this year",
            trigger: `.o_spreadsheet_dashboard_action .o_control_panel:contains(${new Date().getFullYear()})`,
        },
        {
            content: "Open the Channel Health dashboard",
            trigger: ".o_spreadsheet_dashboard_action .o_search_panel_category_value:contains(Channel Health)",
            run: "click",
        },
        {
            content: "The Channel Health dashboard is loaded",
            trigger:
                ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status)) " +
                ".o_search_panel_category_value.active:contains(Channel Health)",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-grid",
        },
        ...openMenuSteps("distribution_stock.menu_distribution_inventory", "distribution_stock.menu_distribution_stock_analysis_slow", "Open the slow movers"),
        {
            content: "Open the Hangzhou dealer's slow movers",
            trigger: ".o_list_view .o_group_header:contains(Hangzhou Dealer)",
            run: "click",
        },
        {
            content: "Open its slow mover",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(product_a)",
            run: "click",
        },
        {
            content: "The slow mover: product_a at the Hangzhou dealer",
            trigger: ".o_form_view .o_field_widget[name=product_id]:contains(product_a)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=member_id]:contains(Hangzhou Dealer)",
        },
    ],
});
