// The host-page side of the widget: a launcher button, the chat iframe from our origin, and
// the snippet-queue API window.ConnectChat(command, ...args). Styles go through the CSSOM
// (element.style), which host CSPs without 'unsafe-inline' still allow.
import { textColourOn } from "../chat/theme.js";

export const SOURCE = "connect-chat";
const ACTIVE_KEY = "connect-chat:active";
const PHONE = "(max-width: 480px)";
const INSTALLED = "connectChatInstalled";

function setStyle(node, styles) {
  for (const [name, value] of Object.entries(styles)) node.style.setProperty(name, value);
}

function frameStyle(phone) {
  return phone
    ? { inset: "0", width: "100%", height: "100%", "max-height": "none", "border-radius": "0" }
    : {
        inset: "auto 20px 90px auto",
        width: "380px",
        height: "600px",
        "max-height": "calc(100vh - 110px)",
        "border-radius": "12px",
      };
}

/** Is this a message from our chat frame? Checks origin, sender window and shape. */
export function isFrameMessage(event, widgetOrigin, frameWindow) {
  return (
    event.origin === widgetOrigin &&
    frameWindow !== null &&
    event.source === frameWindow &&
    event.data !== null &&
    typeof event.data === "object" &&
    event.data.source === SOURCE
  );
}

export function installWidget(win, doc, scriptSrc) {
  // A second copy of the tag (CMS block plus template, tag manager plus page) must not draw a
  // second launcher and frame: the first copy keeps the page.
  if (win.ConnectChat?.[INSTALLED]) return null;
  const base = new URL(".", scriptSrc);
  const widgetOrigin = base.origin;
  const storage = (() => {
    try {
      return win.sessionStorage;
    } catch {
      return null;
    }
  })();
  const phone = win.matchMedia?.(PHONE);
  let frame = null;
  let ready = false;
  let isOpen = false;
  let customerTokenProvider = null;
  const outbox = [];

  const launcher = doc.createElement("button");
  launcher.type = "button";
  launcher.append(chatBubbleIcon(doc));
  launcher.setAttribute("aria-label", "Open chat");
  launcher.setAttribute("aria-expanded", "false");
  launcher.dataset.testid = "chat-launcher";
  setStyle(launcher, {
    position: "fixed",
    right: "20px",
    bottom: "20px",
    width: "56px",
    height: "56px",
    "border-radius": "50%",
    border: "2px solid #fff",
    background: "#1f4fd1",
    color: "#fff",
    padding: "0",
    display: "grid",
    "place-items": "center",
    cursor: "pointer",
    "z-index": "2147483000",
    "box-shadow": "0 2px 10px rgba(0,0,0,.3)",
  });

  function post(type, payload) {
    if (!frame || !ready) {
      outbox.push([type, payload]);
      return;
    }
    try {
      frame.contentWindow.postMessage({ source: SOURCE, type, payload }, widgetOrigin);
    } catch (error) {
      // A payload the browser cannot clone (a function, a DOM node) fails alone: the host hears
      // why, and the commands queued after it still reach the chat.
      win.console?.warn(
        `ConnectChat: "${type}" not sent: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  function ensureFrame() {
    if (frame) return;
    frame = doc.createElement("iframe");
    frame.src = new URL(`chat.html?host=${encodeURIComponent(win.location.origin)}`, base).href;
    frame.title = "Chat";
    frame.dataset.testid = "chat-frame";
    frame.hidden = true;
    setStyle(frame, {
      position: "fixed",
      border: "0",
      background: "#fff",
      "z-index": "2147483001",
      "box-shadow": "0 4px 24px rgba(0,0,0,.25)",
      ...frameStyle(phone?.matches),
    });
    doc.body.append(frame);
  }

  function open() {
    ensureFrame();
    frame.hidden = false;
    isOpen = true;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close chat");
    frame.focus();
    post("open");
  }

  function close() {
    if (!frame || !isOpen) return;
    frame.hidden = true;
    isOpen = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open chat");
    launcher.focus();
    post("close");
  }

  const commands = {
    open,
    close,
    toggle: () => (isOpen ? close() : open()),
    setDisplayName: (name) => post("setDisplayName", String(name ?? "")),
    setAttributes: (attributes) => post("setAttributes", attributes),
    // A signed-in customer's JWT from the page's backend; null signs out.
    setCustomerToken: (jwt) => post("setCustomerToken", typeof jwt === "string" ? jwt : null),
    // Called at each chat start (JWTs live minutes). A function cannot cross postMessage: the
    // chat asks, this page calls the callback and posts the string it resolves to.
    setCustomerTokenProvider: (callback) => {
      customerTokenProvider = typeof callback === "function" ? callback : null;
      post("customerTokenProvider", customerTokenProvider !== null);
    },
    setLanguage: (code) => post("setLanguage", String(code ?? "")),
    theme: (theme) => {
      if (theme && /^#[0-9a-fA-F]{6}$/.test(theme.primaryColor ?? "")) {
        launcher.style.background = theme.primaryColor;
        // The icon must stay visible on a light brand colour (WCAG 1.4.11, 3:1 for graphics).
        launcher.style.color = textColourOn(theme.primaryColor);
      }
      post("theme", theme);
    },
  };

  function api(command, ...args) {
    // Own keys only: "constructor" or "__proto__" would otherwise reach Object's members.
    const run = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : null;
    if (!run) {
      win.console?.warn(`ConnectChat: unknown command "${command}"`);
      return;
    }
    run(...args);
  }

  win.addEventListener("message", (event) => {
    if (!isFrameMessage(event, widgetOrigin, frame?.contentWindow ?? null)) return;
    const { type, payload } = event.data;
    if (type === "ready") {
      ready = true;
      for (const [queuedType, queuedPayload] of outbox.splice(0)) post(queuedType, queuedPayload);
    } else if (type === "close") {
      close();
    } else if (type === "customerTokenRequest" && typeof payload?.id === "string") {
      const { id } = payload;
      const reply = (token) =>
        post("customerToken", { id, token: typeof token === "string" ? token : null });
      if (!customerTokenProvider) reply(null);
      else
        Promise.resolve()
          .then(customerTokenProvider)
          .then(reply, () => reply(null));
    } else if (type === "active") {
      // Remember a live chat so the next page of this site reopens it straight away.
      if (payload) storage?.setItem(ACTIVE_KEY, "1");
      else storage?.removeItem(ACTIVE_KEY);
    }
  });
  phone?.addEventListener?.("change", () => frame && setStyle(frame, frameStyle(phone.matches)));
  launcher.addEventListener("click", commands.toggle);

  const queued = win.ConnectChat?.q ?? [];
  api[INSTALLED] = true;
  win.ConnectChat = api;
  doc.body.append(launcher);
  for (const args of queued) api(...args);
  if (storage?.getItem(ACTIVE_KEY) === "1" && !isOpen) open();
  return { api, launcher, frame: () => frame };
}

// An inline SVG, not an emoji: hosts without an emoji font (many Linux desktops, kiosks) would
// show a missing-glyph box.
function chatBubbleIcon(doc) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = doc.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "26");
  svg.setAttribute("height", "26");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = doc.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute(
    "d",
    "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
  );
  svg.append(path);
  return svg;
}
