// The one catalogue of the chat page's words. English is bundled (the fallback, and what the
// page shows before a locale arrives); every other locale is its own chunk, fetched only when
// chosen. Strings are looked up by key; `{name}` placeholders are filled from `params`.
import en from "./locales/en.json";

/** @typedef {keyof typeof en} MessageKey */
/** @typedef {Record<string, string | number>} MessageParams */

export const DEFAULT_LANGUAGE = "en";
export const RTL_LANGUAGES = Object.freeze(["ar"]);

/** @type {Readonly<Record<string, () => Promise<{default: Record<string, string>}>>>} */
const LOADERS = Object.freeze({
  es: () => import("./locales/es.json"),
  fr: () => import("./locales/fr.json"),
  de: () => import("./locales/de.json"),
  "pt-BR": () => import("./locales/pt-BR.json"),
  ja: () => import("./locales/ja.json"),
  ar: () => import("./locales/ar.json"),
});

export const SUPPORTED_LANGUAGES = Object.freeze([DEFAULT_LANGUAGE, ...Object.keys(LOADERS)]);

/** @type {Record<string, string>} */
let messages = en;
let language = DEFAULT_LANGUAGE;

/**
 * The supported language a BCP 47 tag asks for: the exact tag (any case), else its base
 * language ("es-MX" -> "es", "pt" or "pt-PT" -> "pt-BR"), else null.
 * @param {unknown} tag
 * @returns {string | null}
 */
export function matchLanguage(tag) {
  if (typeof tag !== "string" || tag.trim() === "") return null;
  const wanted = tag.trim().toLowerCase();
  const exact = SUPPORTED_LANGUAGES.find((code) => code.toLowerCase() === wanted);
  if (exact) return exact;
  const base = wanted.split(/[-_]/)[0];
  return SUPPORTED_LANGUAGES.find((code) => code.toLowerCase().split("-")[0] === base) ?? null;
}

/**
 * The language to show: the host page's setLanguage, then the stack's widget.language, then
 * the browser's preferences in order, then English.
 * @param {{host?: string | null, stack?: string | null, browser?: readonly string[]}} choices
 */
export function chooseLanguage({ host = null, stack = null, browser = [] }) {
  for (const candidate of [host, stack, ...browser]) {
    const match = matchLanguage(candidate);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

/** The language whose messages t() returns now. */
export function currentLanguage() {
  return language;
}

/** @param {string} code */
export function isRightToLeft(code) {
  return RTL_LANGUAGES.includes(code);
}

/**
 * Makes `code` the current language, downloading its locale first; unknown codes fall back to
 * English. Resolves to the language now in use.
 * @param {string} code
 */
export async function loadLocale(code) {
  const match = matchLanguage(code) ?? DEFAULT_LANGUAGE;
  const load = Object.prototype.hasOwnProperty.call(LOADERS, match) ? LOADERS[match] : null;
  messages = load ? (await load()).default : en;
  language = load ? match : DEFAULT_LANGUAGE;
  return language;
}

/**
 * The message for `key` in the current language (English where the locale lacks it).
 * @param {MessageKey} key
 * @param {MessageParams} [params]
 */
export function t(key, params = {}) {
  const template = messages[key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
