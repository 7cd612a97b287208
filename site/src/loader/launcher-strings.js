// Every user-facing string the loader draws, keyed, in one place so they move into the widget's
// string catalogue in one step. Only English exists here; the language hint (the host API's
// `language` setting) already picks a locale and falls back to English.

/**
 * @typedef {{open: string, close: string, chat: string, unreadOne: string, unreadMany: string}}
 *   LauncherStrings
 * `chat` names the chat (the frame's title, and before an unread count); `unreadOne` and
 * `unreadMany` take {label} and {count}.
 */

/**
 * No prototype: a hint such as "constructor" must not reach Object's members.
 * @type {Record<string, LauncherStrings>}
 */
export const LAUNCHER_STRINGS = /** @type {any} */ ({
  __proto__: null,
  en: {
    open: "Open chat",
    close: "Close chat",
    chat: "Chat",
    unreadOne: "{label}, {count} unread message",
    unreadMany: "{label}, {count} unread messages",
  },
});

/**
 * The strings for a language hint such as "fr-CA": the exact locale, then its language, then
 * English.
 * @param {string} [language]
 * @returns {LauncherStrings}
 */
export function launcherStrings(language = "en") {
  const tag = language.toLowerCase();
  return LAUNCHER_STRINGS[tag] ?? LAUNCHER_STRINGS[tag.split("-")[0]] ?? LAUNCHER_STRINGS.en;
}

/**
 * The launcher's accessible name: "Close chat" while open; "Chat, 2 unread messages" while
 * closed with unread messages; otherwise "Open chat", or the host's own label.
 * @param {{language?: string, label?: string, open: boolean, unread: number}} state
 * @returns {string}
 */
export function launcherLabel({ language, label, open, unread }) {
  const strings = launcherStrings(language);
  if (open) return strings.close;
  if (unread <= 0) return label || strings.open;
  const template = unread === 1 ? strings.unreadOne : strings.unreadMany;
  return template.replace("{label}", label || strings.chat).replace("{count}", `${unread}`);
}
