/**
 * Tour steps that open a menu of the current app, whatever the screen width and the machine's speed.
 *
 * The menu bar moves the sections that do not fit under "More" (+) after it rendered, and again
 * whenever the systray or the window changes; on a narrow screen or a slow machine a section seen a
 * moment ago may be gone. So the step waits until the bar's layout holds still, opens the section
 * (in the bar, or under "More"), and clicks the item once it is shown; if the bar re-laid itself out
 * meanwhile, it starts again. It waits for what it needs, never for a fixed time.
 */

const isShown = (el) => el?.isConnected && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
const firstShown = (selector) => [...document.querySelectorAll(selector)].find(isShown);
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** What the menu bar shows: its visible sections and whether "More" is there. */
function barLayout() {
    const bar = document.querySelector(".o_main_navbar .o_menu_sections");
    if (!bar) {
        return "";
    }
    return [...bar.querySelectorAll(":scope > *")]
        .filter(isShown)
        .map((el) => (el.classList.contains("o_menu_sections_more") ? "+" : el.textContent.trim()))
        .join("|");
}

/** Until the bar's layout has been the same for a few frames in a row. */
async function barSettled() {
    let current = barLayout();
    let stableFrames = 0;
    while (stableFrames < 3) {
        await nextFrame();
        const next = barLayout();
        stableFrames = next && next === current ? stableFrames + 1 : 0;
        current = next;
    }
}

/**
 * @param {string} sectionXmlid xml id of the section of the menu bar (e.g. "distribution_core.menu_distribution_network")
 * @param {string} itemXmlid xml id of the menu item in that section
 * @param {string} [content] the step's description
 */
export function openMenuSteps(sectionXmlid, itemXmlid, content) {
    // the open dropdown is rendered in an overlay, outside the menu bar
    const itemSelector = `.o-dropdown-item[data-menu-xmlid="${itemXmlid}"]`;
    return [
        {
            content: content || `Open the menu ${itemXmlid}`,
            trigger: ".o_main_navbar .o_menu_sections",
            async run(helpers) {
                // bounded in frames, not in seconds: a slow machine only makes each round longer
                for (let round = 0; round < 300; round++) {
                    await barSettled();
                    const item = firstShown(itemSelector);
                    if (item) {
                        await helpers.click(item);
                        return;
                    }
                    const opener =
                        firstShown(`.o_main_navbar .o_menu_sections button[data-menu-xmlid="${sectionXmlid}"]`) ||
                        firstShown(".o_main_navbar .o_menu_sections_more button");
                    if (opener && opener.getAttribute("aria-expanded") !== "true") {
                        await helpers.click(opener);
                    }
                    await nextFrame();
                }
                throw new Error(`Menu ${sectionXmlid} → ${itemXmlid} not found; the menu bar shows: ${barLayout()}`);
            },
        },
    ];
}
