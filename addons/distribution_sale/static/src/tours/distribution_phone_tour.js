import { registry } from "@web/core/registry";
import { assertNoSideScroll, assertOnScreen, phoneCheck } from "@distribution_core/tours/phone_utils";

const product = (code) => `.o_channel_product[data-code='${code}']`;

function price(code) {
    return parseFloat(document.querySelector(product(code)).dataset.price);
}

function amountText(amount) {
    return amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

// A dealer orders from the catalogue on its phone, finds the order among its orders and cancels it.
registry.category("web_tour.tours").add("distribution_portal_phone_order", {
    url: "/my/channel/order",
    steps: () => [
        phoneCheck(
            "The catalogue fits the phone; the cart bar and its submit button are in view",
            ".o_channel_order_form .o_channel_product",
            [".o_channel_cart", ".o_channel_order_submit", ".o_channel_catalogue_search"],
            { vertically: true },
        ),
        {
            content: "The catalogue is longer than the screen, the cart bar stays at its bottom",
            trigger: ".o_channel_cart .o_channel_cart_count:contains(0)",
            run() {
                if (document.documentElement.scrollHeight <= window.innerHeight) {
                    throw new Error("the catalogue fits one screen: the test cannot show the cart stays in view");
                }
            },
        },
        {
            content: "Pick the Tour Drinks category",
            trigger: ".o_channel_categories .o_channel_category:contains(Tour Drinks)",
            run: "click",
        },
        {
            content: "Another category's product is filtered out",
            trigger: `${product("PB-002")}:hidden`,
        },
        {
            content: "The product's picture is shown",
            trigger: `${product("PA-001")} img.o_channel_product_image`,
            async run({ anchor }) {
                await anchor.decode(); // waits for the picture, fails if it is broken
                if (!anchor.naturalWidth) {
                    throw new Error("the product picture is empty");
                }
            },
        },
        phoneCheck(
            "Its member price and pack size are in view",
            `${product("PA-001")} .o_channel_pack:contains(Pack: 6)`,
            [`${product("PA-001")} .o_channel_price`, `${product("PA-001")} .o_channel_qty_plus`],
        ),
        {
            content: "Add a pack with +",
            trigger: `${product("PA-001")} .o_channel_qty_plus`,
            run: "click",
        },
        {
            content: "A pack of 6 is in the cart at the member's price",
            trigger: ".o_channel_cart .o_channel_cart_count:contains(1)",
            run() {
                const qty = document.querySelector(`${product("PA-001")} .o_channel_qty input`).value;
                const total = document.querySelector(".o_channel_cart_total").textContent;
                const expected = amountText(6 * price("PA-001"));
                if (qty !== "6" || !total.includes(expected)) {
                    throw new Error(`quantity ${qty}, cart total "${total}": expected 6 and ${expected}`);
                }
            },
        },
        {
            content: "Back to all categories",
            trigger: ".o_channel_categories .o_channel_category:contains(All)",
            run: "click",
        },
        {
            content: "Search the other product by its reference",
            trigger: ".o_channel_catalogue_search input[name=search]",
            run: "edit PB-002",
        },
        {
            content: "Only that product is listed",
            trigger: `${product("PA-001")}:hidden`,
        },
        {
            content: "Add it",
            trigger: `${product("PB-002")} .o_channel_qty_plus`,
            run: "click",
        },
        {
            content: "Both products are in the cart (the search kept the first) with the running total",
            trigger: ".o_channel_cart .o_channel_cart_count:contains(2)",
            run() {
                const total = document.querySelector(".o_channel_cart_total").textContent;
                const expected = amountText(6 * price("PA-001") + price("PB-002"));
                if (!total.includes(expected)) {
                    throw new Error(`cart total "${total}", expected ${expected}`);
                }
            },
        },
        {
            content: "Clear the search",
            trigger: ".o_channel_catalogue_search input[name=search]",
            run: "clear",
        },
        {
            content: "The paste box is kept",
            trigger: ".o_channel_paste summary",
        },
        {
            content: "Scrolled to the top of a long list, the cart bar is still in view",
            trigger: `${product("PA-001")}:visible`,
            run() {
                window.scrollTo(0, 0);
                assertOnScreen(".o_channel_cart", { vertically: true });
                assertOnScreen(".o_channel_order_submit", { vertically: true });
                window.scrollTo(0, document.documentElement.scrollHeight);
                assertOnScreen(".o_channel_order_submit", { vertically: true });
            },
        },
        {
            content: "Submit",
            trigger: "button.o_channel_order_submit",
            run: "click",
            expectUnloadPage: true,
        },
        phoneCheck(
            "The dealer is told the order went out; the total is in view",
            ".o_channel_order_submitted:contains(Zhejiang Distributor)",
            [".o_channel_order_submitted", ".o_channel_order_total"],
        ),
        {
            content: "Follow it among my orders",
            trigger: "a[href='/my/channel/orders']",
            run: "click",
            expectUnloadPage: true,
        },
        phoneCheck(
            "The order is listed as submitted, its total in view",
            ".o_channel_orders_bought .o_channel_order_row:contains(Submitted)",
            [".o_channel_orders_bought .o_channel_order_row .o_channel_order_row_total"],
        ),
        {
            content: "Open it",
            trigger: ".o_channel_orders_bought .o_channel_order_row a.o_channel_order_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Cancel",
            trigger: ".o_channel_order_cancel summary",
            run: "click",
        },
        phoneCheck(
            "Cancelling asks first",
            ".o_channel_order_cancel:contains(Your supplier will no longer ship it) .o_channel_order_cancel_confirm",
            [".o_channel_order_cancel_confirm"],
        ),
        {
            content: "Yes, cancel",
            trigger: ".o_channel_order_cancel_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Cancelled",
            trigger: ".o_channel_order_page .o_channel_order_state:contains(Cancelled)",
            run() {
                assertNoSideScroll("the cancelled order");
            },
        },
    ],
});

// A catalogue longer than the page holds (250 products, 200 on the page): a product put in the cart
// stays there while the member searches one the page did not list (fetched, not reloaded).
registry.category("web_tour.tours").add("distribution_portal_long_catalogue", {
    url: "/my/channel/order",
    steps: () => [
        {
            content: "Only part of the catalogue is on the page",
            trigger: ".o_channel_catalogue_search:not([data-complete])",
            run() {
                if (document.querySelector(product("BK-250"))) {
                    throw new Error("BK-250 should not be on the first page");
                }
            },
        },
        {
            content: "Put BK-001 in the cart",
            trigger: `${product("BK-001")} .o_channel_qty_plus`,
            run: "click",
        },
        {
            content: "It is in the cart",
            trigger: ".o_channel_cart .o_channel_cart_count:contains(1)",
        },
        {
            content: "Search a product beyond the page",
            trigger: ".o_channel_catalogue_search input[name=search]",
            run: "edit BK-250",
        },
        {
            content: "Search",
            trigger: ".o_channel_catalogue_search button[type=submit]",
            run: "click",
        },
        {
            content: "The product found is listed, the one in the cart kept with its quantity",
            trigger: `${product("BK-250")} .o_channel_qty_plus`,
            run() {
                const kept = document.querySelector(`${product("BK-001")} .o_channel_qty input`);
                if (!kept || kept.value !== "1") {
                    throw new Error(`BK-001 left the cart (quantity ${kept && kept.value}): the page was reloaded`);
                }
                if (document.querySelector(product("BK-002"))) {
                    throw new Error("BK-002 does not match the search but is still listed");
                }
            },
        },
        {
            content: "Add the product found",
            trigger: `${product("BK-250")} .o_channel_qty_plus`,
            run: "click",
        },
        {
            content: "Both are in the cart",
            trigger: ".o_channel_cart .o_channel_cart_count:contains(2)",
        },
    ],
});
