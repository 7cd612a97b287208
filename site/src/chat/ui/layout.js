// The chat panel's frame: header, connection banner, error area and the view that switches
// between pre-chat form, conversation and ended state.
import { localizeAttribute } from "../../i18n/dom.js";
import { el } from "./element.js";

export function renderLayout(root, { title, embedded }) {
  const heading = el("h1", { id: "chat-title" }, title);
  // Decorative: the heading next to it names the chat.
  const logo = el("img", { className: "logo", alt: "", hidden: true, "data-testid": "chat-logo" });
  const minimise = embedded
    ? localizeAttribute(
        el("button", { type: "button", className: "icon", "data-action": "minimise" }, "✕"),
        "aria-label",
        "header.minimise",
      )
    : null;
  const banner = el("div", {
    className: "banner",
    role: "status",
    "data-testid": "connection-banner",
    hidden: true,
  });
  const error = el("div", { className: "error", role: "alert", "data-testid": "error-message" });
  const view = el("div", { className: "view" });
  const panel = el(
    "main",
    { className: "chat-panel", "aria-labelledby": "chat-title", "data-testid": "chat-panel" },
    el("header", { className: "chat-header" }, logo, heading, minimise),
    banner,
    error,
    view,
  );
  root.replaceChildren(panel);
  /** @param {string} src an https URL or a file of the site (branding.js checked it) */
  const setLogo = (src) => {
    logo.setAttribute("src", src);
    logo.hidden = false;
  };
  return { panel, heading, minimise, banner, error, view, setLogo };
}
