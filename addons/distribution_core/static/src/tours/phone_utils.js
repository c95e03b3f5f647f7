/**
 * Tour checks of what a user sees on a phone (tests run these tours with browser_size "390x844").
 *
 * They are assertions on the page as laid out, run once the step's trigger is shown, so they never
 * wait for a fixed time: the trigger waits for the element, then its box is measured.
 */

/** The page does not scroll sideways: nothing sticks out of the phone's width. */
export function assertNoSideScroll(where) {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        const wide = [...document.body.querySelectorAll("*")]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 3)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
        throw new Error(`${where}: the page scrolls sideways by ${overflow}px on a phone (${wide.join(", ")})`);
    }
}

/**
 * The element (or the first one a selector matches) is shown entirely on the screen: within the
 * phone's width and, with `vertically`, within its height too (e.g. a bar that stays in view).
 */
export function assertOnScreen(target, { vertically = false } = {}) {
    const el = typeof target === "string" ? document.querySelector(target) : target;
    const selector = typeof target === "string" ? target : `${el?.tagName.toLowerCase()}.${[...(el?.classList || [])].join(".")}`;
    if (!el) {
        throw new Error(`${selector} is not on the page`);
    }
    const box = el.getBoundingClientRect();
    const width = window.innerWidth;
    const height = window.innerHeight;
    if (box.width === 0 || box.left < 0 || box.right > width) {
        throw new Error(`${selector} is cut off on a phone: ${box.left}-${box.right}px of ${width}px`);
    }
    if (vertically && (box.top < 0 || box.bottom > height)) {
        throw new Error(`${selector} is out of view on a phone: ${box.top}-${box.bottom}px of ${height}px`);
    }
}

/** A step: once `trigger` is shown, the page has no sideways scroll and every selector is on screen. */
export function phoneCheck(content, trigger, selectors = [], { vertically = false } = {}) {
    return {
        content,
        trigger,
        run() {
            assertNoSideScroll(content);
            for (const selector of selectors) {
                assertOnScreen(selector, { vertically });
            }
        },
    };
}
