import { registry } from "@web/core/registry";

// The channel tree (org chart) says which members are suspended: a manager
// reading the network must not take a suspended store for an active one.
registry.category("web_tour.tours").add("distribution_member_tree_status", {
    url: "/odoo/action-distribution_core.distribution_member_tree_action",
    steps: () => [
        {
            content: "The suspended distributor's card carries its status",
            trigger: ".o_hierarchy_node:contains('Zhejiang Distributor'):contains('Suspended')",
        },
        {
            content: "An active member's card carries no status badge",
            trigger: ".o_hierarchy_node:contains('Alpha General Agent'):not(:has(.badge))",
        },
    ],
});
