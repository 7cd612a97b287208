// The send box: Enter sends, Shift+Enter adds a line; typing is reported at most every few
// seconds (Connect shows the agent a typing indicator for a while after each event).
import { ALLOWED_EXTENSIONS } from "../attachments.js";
import { localize, localizeAttribute } from "../../i18n/dom.js";
import { el } from "./element.js";

export const TYPING_INTERVAL_MS = 3000;
export const MAX_MESSAGE_CHARS = 1024;

/** Calls `send` at most once per `interval` ms. */
export function typingThrottle(send, interval = TYPING_INTERVAL_MS, now = () => Date.now()) {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const t = now();
    if (t - last < interval) return false;
    last = t;
    send();
    return true;
  };
}

export function renderComposer({ attachments, onSend, onTyping, onAttach, onEnd }) {
  const textarea = el("textarea", {
    id: "composer-message",
    name: "message",
    rows: 2,
    maxlength: MAX_MESSAGE_CHARS,
    "aria-describedby": "composer-hint",
  });
  localizeAttribute(textarea, "placeholder", "composer.placeholder");
  const reportTyping = typingThrottle(onTyping);
  textarea.addEventListener("input", () => {
    if (textarea.value.trim()) reportTyping();
  });
  const form = el(
    "form",
    { className: "composer" },
    localize(
      el("label", { for: "composer-message", className: "visually-hidden" }),
      "composer.label",
    ),
    textarea,
    localize(el("span", { id: "composer-hint", className: "visually-hidden" }), "composer.hint"),
    localize(el("button", { type: "submit", className: "primary" }), "composer.send"),
  );
  if (attachments) {
    const input = el("input", {
      type: "file",
      id: "composer-file",
      className: "visually-hidden",
      accept: ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(","),
    });
    input.addEventListener("change", () => {
      const [file] = input.files ?? [];
      if (file) onAttach(file);
      input.value = "";
    });
    form.insertBefore(
      el(
        "div",
        { className: "attach" },
        input,
        localize(el("label", { for: "composer-file", className: "button" }), "composer.attach"),
      ),
      textarea,
    );
  }
  const submit = () => {
    const text = textarea.value.trim();
    if (!text) return;
    textarea.value = "";
    onSend(text);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  const endButton = localize(
    el("button", { type: "button", className: "end", onClick: onEnd }),
    "end.button",
  );
  /** Sending before ChatJS has its connection token would fail, so the box waits for it. */
  const setEnabled = (enabled) => {
    for (const control of form.querySelectorAll("textarea, button, input"))
      control.disabled = !enabled;
    endButton.disabled = !enabled;
    form.setAttribute("aria-busy", enabled ? "false" : "true");
  };
  return { form, textarea, endButton, setEnabled };
}
