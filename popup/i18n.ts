/** The popup's and options page's strings: the one helper in src/i18n.ts (shared with the background). */
export { fallback, t, tn } from "../src/i18n.js";
