/**
 * An amount as the portal prints it (symbol before or after, the currency's
 * decimals, thousands separated), from the data-* attributes the template
 * sets: data-symbol, data-position ("before"/"after") and data-digits.
 */
export function formatCurrencyAmount(amount, { symbol = "", position = "before", digits = "2" } = {}) {
    const decimals = parseInt(digits, 10);
    const text = amount.toLocaleString("en-US", {
        minimumFractionDigits: Number.isNaN(decimals) ? 2 : decimals,
        maximumFractionDigits: Number.isNaN(decimals) ? 2 : decimals,
    });
    return position === "after" ? `${text}\u00a0${symbol}` : `${symbol}\u00a0${text}`;
}
