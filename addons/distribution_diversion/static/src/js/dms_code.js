/** @odoo-module **/
/**
 * Anti-diversion unit codes, checked offline: the twin of normalize_code / is_well_formed in
 * distribution_diversion/tools/unit_codes.py (same alphabet, same check character, same test
 * vectors in tests/test_codes.py).
 *
 * A code is 16 Crockford base32 characters and a check character chosen so that
 * sum(c_k * a^k) = 0 in GF(32) = GF(2)[x] / (x^5 + x^2 + 1), with c_k the value of the k-th
 * character from the right (the check character is c_0), a = x and + = XOR: every single wrong
 * character and every swap of two adjacent characters is caught.
 */

export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 17;

const VALUES = Object.fromEntries([...ALPHABET].map((char, value) => [char, value]));
const ALIASES = { O: "0", I: "1", L: "1" };

function gfMul(a, b) {
    let result = 0;
    while (b) {
        if (b & 1) {
            result ^= a;
        }
        b >>= 1;
        a <<= 1;
        if (a & 0b100000) {
            a ^= 0b100101;
        }
    }
    return result;
}

const POWERS = [1];
for (let k = 1; k < CODE_LENGTH; k++) {
    POWERS.push(gfMul(POWERS[k - 1], 2));
}

/**
 * The canonical form of a typed or scanned code: upper case, no blanks or dashes, O = 0,
 * I = L = 1. A scanned label's URL (…/dist/scan/<code>) gives its code.
 *
 * @param {string} text
 * @returns {string}
 */
export function normalizeCode(text) {
    if (!text) {
        return "";
    }
    text = String(text).trim();
    if (text.includes("/")) {
        text = text.replace(/\/+$/, "").split("/").pop().split("?")[0];
    }
    return text
        .replace(/[\s\-_.]+/g, "")
        .toUpperCase()
        .replace(/[OIL]/g, (char) => ALIASES[char]);
}

/**
 * Whether the normalized text has the length, alphabet and check character of a code.
 *
 * @param {string} text
 * @returns {boolean}
 */
export function isWellFormed(text) {
    if (!text || text.length !== CODE_LENGTH) {
        return false;
    }
    let total = 0;
    for (let index = 0; index < CODE_LENGTH; index++) {
        const value = VALUES[text[index]];
        if (value === undefined) {
            return false;
        }
        total ^= gfMul(value, POWERS[CODE_LENGTH - 1 - index]);
    }
    return total === 0;
}

/**
 * A code in groups of four for people to read: 8264-VXAJ-DZ2T-GEGJ-1.
 *
 * @param {string} code
 * @returns {string}
 */
export function formatCode(code) {
    return (code || "").match(/.{1,4}/g)?.join("-") || "";
}

/**
 * Whether the normalized text may be a code imported from a previous system (letters and
 * digits, 6 to 40, no check character); a text shaped like one of ours (17 characters of our
 * alphabet) is not: its check character must catch a typing error. Twin of is_legacy_candidate.
 *
 * @param {string} text
 * @returns {boolean}
 */
export function isLegacyCandidate(text) {
    if (!text || !/^[0-9A-Z]{6,40}$/.test(text)) {
        return false;
    }
    return !(text.length === CODE_LENGTH && [...text].every((char) => char in VALUES));
}
