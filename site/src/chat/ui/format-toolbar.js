// The visitor's formatting toolbar (features.customerFormatting): bold, italic, bulleted list
// and link write Markdown into the send box, which then goes out as text/markdown. Loaded on
// demand: stacks without it never download it.
import { localizeAttribute } from "../../i18n/dom.js";
import { el } from "./element.js";

/** @typedef {"bold"|"italic"|"list"|"link"} FormatAction */
/** @typedef {{value: string, start: number, end: number}} TextState */

const WRAP = { bold: "**", italic: "_" };
export const LINK_PLACEHOLDER = "https://";

/**
 * The send box after a formatting action on its selection; the new selection is what the
 * visitor most likely types next (the wrapped text, or the link's address).
 * @param {TextState} state
 * @param {FormatAction} action
 * @returns {TextState}
 */
export function applyFormat({ value, start, end }, action) {
  const before = value.slice(0, start);
  const selected = value.slice(start, end);
  const after = value.slice(end);
  if (action === "bold" || action === "italic") {
    const mark = WRAP[action];
    return {
      value: `${before}${mark}${selected}${mark}${after}`,
      start: start + mark.length,
      end: end + mark.length,
    };
  }
  if (action === "link") {
    const text = `[${selected}](${LINK_PLACEHOLDER})`;
    const address = start + selected.length + 3;
    return {
      value: `${before}${text}${after}`,
      start: address,
      end: address + LINK_PLACEHOLDER.length,
    };
  }
  // A list item per selected line, starting on a line of its own.
  const lineStart = before.lastIndexOf("\n") + 1;
  const lines = value.slice(lineStart, end).split("\n");
  const listed = lines.map((line) => (line.startsWith("- ") ? line : `- ${line}`)).join("\n");
  const next = value.slice(0, lineStart) + listed + after;
  return { value: next, start: lineStart, end: lineStart + listed.length };
}

/**
 * The shortcut a keydown stands for: Ctrl/Cmd+B, +I, +K, and Ctrl/Cmd+Shift+8 for a list.
 * @param {KeyboardEvent} event
 * @returns {FormatAction | null}
 */
export function shortcutAction(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  if (event.shiftKey) return event.code === "Digit8" ? "list" : null;
  return (
    /** @type {Record<string, FormatAction>} */ ({ b: "bold", i: "italic", k: "link" })[
      event.key.toLowerCase()
    ] ?? null
  );
}

/** @type {{action: FormatAction, key: import("../../i18n/index.js").MessageKey, glyph: string}[]} */
const BUTTONS = [
  { action: "bold", key: "toolbar.bold", glyph: "B" },
  { action: "italic", key: "toolbar.italic", glyph: "I" },
  { action: "list", key: "toolbar.list", glyph: "•" },
  { action: "link", key: "toolbar.link", glyph: "🔗" },
];

/**
 * Draws the toolbar for `textarea` and binds the shortcuts. One tab stop; arrow keys move
 * between the buttons (the WAI-ARIA toolbar pattern).
 * @param {HTMLTextAreaElement} textarea
 * @returns {HTMLElement}
 */
export function renderFormatToolbar(textarea) {
  const run = (/** @type {FormatAction} */ action) => {
    const next = applyFormat(
      { value: textarea.value, start: textarea.selectionStart, end: textarea.selectionEnd },
      action,
    );
    if (next.value.length > textarea.maxLength && textarea.maxLength > 0) return;
    textarea.value = next.value;
    textarea.focus();
    textarea.setSelectionRange(next.start, next.end);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const buttons = BUTTONS.map(({ action, key, glyph }, index) =>
    localizeAttribute(
      el(
        "button",
        {
          type: "button",
          className: `format format-${action}`,
          "data-format": action,
          tabindex: index === 0 ? "0" : "-1",
          onClick: () => run(action),
        },
        el("span", { "aria-hidden": "true" }, glyph),
      ),
      "aria-label",
      key,
    ),
  );
  const toolbar = el(
    "div",
    { className: "format-toolbar", role: "toolbar", "aria-controls": textarea.id },
    buttons,
  );
  localizeAttribute(toolbar, "aria-label", "toolbar.label");
  toolbar.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(/** @type {HTMLButtonElement} */ (event.target));
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: buttons.length - 1 - at }[
      event.key
    ];
    if (at < 0 || step === undefined) return;
    event.preventDefault();
    // In a right-to-left page the arrows follow the reading direction.
    const rtl = toolbar.ownerDocument.documentElement.dir === "rtl" && Math.abs(step) === 1;
    const next = buttons[(at + (rtl ? -step : step) + buttons.length) % buttons.length];
    for (const button of buttons) button.tabIndex = button === next ? 0 : -1;
    next.focus();
  });
  textarea.addEventListener("keydown", (event) => {
    const action = shortcutAction(event);
    if (!action) return;
    event.preventDefault();
    run(action);
  });
  return toolbar;
}
