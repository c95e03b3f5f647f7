import { registry } from "@web/core/registry";

// A distributor turns its replenishment suggestions into an order to its supplier in one click.
registry.category("web_tour.tours").add("distribution_stock_suggestion", {
    url: "/my/stock/suggestions",
    steps: () => [
        {
            content: "The hot item is suggested with its quantity",
            trigger: ".o_stock_suggestions .o_stock_suggestion_line:contains(SAP1):has(.o_stock_badge_hot) input[type=number]:value(6)",
        },
        {
            content: "Slow movers are listed apart",
            trigger: ".o_stock_suggestions tr.o_stock_slow_line:contains(SAP3)",
        },
        {
            content: "Order these",
            trigger: "button.o_stock_suggestion_order",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The order is submitted to the supplier",
            trigger: ".o_channel_order_page .o_channel_order_state:contains(Submitted)",
        },
        {
            content: "With the suggested quantity",
            trigger: ".o_channel_order_page tr:contains(SAP1):contains(6)",
        },
    ],
});
