// The one catalogue of the chat page's words. Every locale, English included, is its own chunk,
// fetched only when chosen (a bundled English would cost every other visitor 1.4 KB of the
// first-load budget); the page draws nothing before its locale is in. Strings are looked up by
// key; `{name}` placeholders are filled from `params`.

/** @typedef {keyof import("./locales/en.json")} MessageKey */
/** @typedef {Record<string, string | number>} MessageParams */

export const DEFAULT_LANGUAGE = "en";
export const RTL_LANGUAGES = Object.freeze(["ar"]);

/** @type {Readonly<Record<string, () => Promise<{default: Record<string, string>}>>>} */
const LOADERS = Object.freeze({
  en: () => import("./locales/en.json"),
  es: () => import("./locales/es.json"),
  fr: () => import("./locales/fr.json"),
  de: () => import("./locales/de.json"),
  "pt-BR": () => import("./locales/pt-BR.json"),
  ja: () => import("./locales/ja.json"),
  ar: () => import("./locales/ar.json"),
});

export const SUPPORTED_LANGUAGES = Object.freeze(Object.keys(LOADERS));

/**
 * What the page says when not even English could be fetched (the site is unreachable): the
 * chat is unavailable. Equal to en.json's texts (the catalogue test checks).
 * @type {Readonly<Record<string, string>>}
 */
export const LAST_RESORT = Object.freeze({
  "page.unavailable": "Chat is not available right now.",
  "page.configError": "Chat is not available right now (configuration error).",
  "page.embedRefused": "This site isn't allowed to embed the chat.",
});

/** @type {Record<string, string>} */
let messages = {};
let language = DEFAULT_LANGUAGE;
// Calls answered out of order (a slow locale, then a quick one) must leave the last one asked.
let latest = 0;

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
 * Makes `code` the current language, downloading its locale first; unknown codes get
 * English. Resolves to the language now in use; rejects (keeping the current one) when the
 * locale cannot be fetched.
 * @param {string} code
 */
export async function loadLocale(code) {
  const match = matchLanguage(code) ?? DEFAULT_LANGUAGE;
  const ticket = ++latest;
  const loaded = (await LOADERS[match]()).default;
  if (ticket === latest) {
    messages = loaded;
    language = match;
  }
  return language;
}

/**
 * The message for `key` in the current language (every locale has every key: the catalogue
 * test checks).
 * @param {MessageKey} key
 * @param {MessageParams} [params]
 */
export function t(key, params = {}) {
  const template = messages[key] ?? LAST_RESORT[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
