// Ties DOM text to catalogue keys, so a language chosen after the page is drawn (the host's
// setLanguage arrives once the chat frame is ready) relabels what is already on screen.
import { currentLanguage, isRightToLeft, t } from "./index.js";

const TEXT = "i18n";
const ATTRIBUTES = "i18nAttrs";
const PARAMS = "i18nParams";

/**
 * Sets the node's text from `key` and remembers the key for relocalize().
 * @template {HTMLElement} N
 * @param {N} node
 * @param {import("./index.js").MessageKey} key
 * @param {import("./index.js").MessageParams} [params]
 * @returns {N}
 */
export function localize(node, key, params) {
  node.dataset[TEXT] = key;
  if (params) node.dataset[PARAMS] = JSON.stringify(params);
  else delete node.dataset[PARAMS];
  node.textContent = t(key, params);
  return node;
}

/**
 * Sets attribute `name` (aria-label, placeholder, ...) from `key`, remembered likewise.
 * @template {HTMLElement} N
 * @param {N} node
 * @param {string} name
 * @param {import("./index.js").MessageKey} key
 * @returns {N}
 */
export function localizeAttribute(node, name, key) {
  const pairs = (node.dataset[ATTRIBUTES] ?? "")
    .split(";")
    .filter((pair) => pair && !pair.startsWith(`${name}=`));
  node.dataset[ATTRIBUTES] = [...pairs, `${name}=${key}`].join(";");
  node.setAttribute(name, t(key));
  return node;
}

/**
 * Re-reads every localized text and attribute under `root` in the current language.
 * @param {ParentNode} root
 */
export function relocalize(root) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    const element = /** @type {HTMLElement} */ (node);
    const params = element.dataset[PARAMS];
    element.textContent = t(
      /** @type {any} */ (element.dataset[TEXT]),
      params ? JSON.parse(params) : undefined,
    );
  }
  for (const node of root.querySelectorAll("[data-i18n-attrs]")) {
    const element = /** @type {HTMLElement} */ (node);
    for (const pair of (element.dataset[ATTRIBUTES] ?? "").split(";")) {
      const [name, key] = pair.split("=");
      if (name && key) element.setAttribute(name, t(/** @type {any} */ (key)));
    }
  }
}

/**
 * `<html lang dir>` follow the language, so screen readers pick the right voice and the
 * layout (logical CSS properties) mirrors for right-to-left scripts.
 * @param {Document} doc
 */
export function applyDocumentLanguage(doc, code = currentLanguage()) {
  doc.documentElement.lang = code;
  doc.documentElement.dir = isRightToLeft(code) ? "rtl" : "ltr";
}
