// The host-page side of the widget: a launcher button, the chat iframe from our origin, and
// the snippet-queue API window.ConnectChat(command, ...args). Styles go through the CSSOM
// (element.style), which host CSPs without 'unsafe-inline' still allow.
import { HEIGHT, WIDTH, positionProblem, sizeProblem } from "../chat/branding.js";
import { textColourOn } from "../chat/theme.js";
import { launcherLabel, launcherStrings } from "./launcher-strings.js";

export const SOURCE = "connect-chat";
const ACTIVE_KEY = "connect-chat:active";
// The visitor's last choice ("1" open, "0" closed) and the unread count, for the next page.
const OPEN_KEY = "connect-chat:open";
const UNREAD_KEY = "connect-chat:unread";
const PHONE = "(max-width: 480px)";
const INSTALLED = "connectChatInstalled";

function setStyle(node, styles) {
  for (const [name, value] of Object.entries(styles)) node.style.setProperty(name, value);
}

/**
 * The events a host can subscribe to, and the only payload keys each may carry (plain data).
 * @type {Record<string, string[]>}
 */
export const HOST_EVENTS = {
  chatStarted: ["contactId"],
  agentJoined: ["displayName"],
  message: ["role", "contentType", "text"],
  chatEnded: ["contactId", "reason"],
  unreadChanged: ["count"],
  opened: [],
  closed: [],
  error: ["code"],
};
// The loader raises opened, closed and unreadChanged itself; the frame may raise only these.
const FRAME_EVENTS = ["chatStarted", "agentJoined", "message", "chatEnded", "error"];

/**
 * A fresh payload of `name`'s keys with string or number values; `text` only when asked for.
 * @param {string} name
 * @param {unknown} payload
 * @param {boolean} includeText
 * @returns {Record<string, string|number>}
 */
export function eventPayload(name, payload, includeText) {
  /** @type {Record<string, string|number>} */
  const clean = {};
  const source = /** @type {Record<string, unknown>} */ (payload ?? {});
  for (const key of HOST_EVENTS[name] ?? []) {
    const value = source[key];
    if (key === "text" && !includeText) continue;
    if (typeof value === "string" || typeof value === "number") clean[key] = value;
  }
  return clean;
}

/** @typedef {{position: string, width: number, height: number}} FrameLayout */

/**
 * @param {boolean | undefined} phone
 * @param {FrameLayout} layout
 */
function frameStyle(phone, { position, width, height }) {
  return phone
    ? { inset: "0", width: "100%", height: "100%", "max-height": "none", "border-radius": "0" }
    : {
        inset: position === "left" ? "auto auto 90px 20px" : "auto 20px 90px auto",
        width: `${width}px`,
        height: `${height}px`,
        "max-height": "calc(100vh - 110px)",
        "max-width": "calc(100vw - 40px)",
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
  let unread = Number(storage?.getItem(UNREAD_KEY)) || 0;
  let returnFocus = null;
  const outbox = [];
  /** Launch settings from the host API (`settings`). */
  const launch = { language: "en", label: "", launcher: true, openOnLoad: false };
  /** @type {FrameLayout} */
  const layout = { position: "right", width: WIDTH.default, height: HEIGHT.default };
  // What the host's theme set wins over the stack's branding the frame reports.
  const hostSet = new Set();
  /** @type {Map<string, {callback: Function, includeText: boolean}[]>} */
  const listeners = new Map();
  let framesText = false;

  const launcher = doc.createElement("button");
  launcher.type = "button";
  launcher.append(chatBubbleIcon(doc));
  const badge = doc.createElement("span");
  // The launcher's accessible name says the count; the badge is only its picture.
  badge.setAttribute("aria-hidden", "true");
  badge.dataset.testid = "chat-unread-badge";
  setStyle(badge, {
    position: "absolute",
    top: "-4px",
    right: "-4px",
    "min-width": "20px",
    height: "20px",
    padding: "0 5px",
    "box-sizing": "border-box",
    "border-radius": "10px",
    background: "#b3261e",
    color: "#fff",
    font: "bold 12px/20px sans-serif",
  });
  launcher.append(badge);
  launcher.setAttribute("aria-expanded", "false");
  launcher.dataset.testid = "chat-launcher";
  setStyle(launcher, {
    position: "fixed",
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

  function drawLauncher() {
    launcher.setAttribute("aria-label", launcherLabel({ ...launch, open: isOpen, unread }));
    badge.textContent = unread > 99 ? "99+" : unread > 0 ? String(unread) : "";
    badge.style.display = unread > 0 && !isOpen ? "block" : "none";
    launcher.style.display = launch.launcher ? "grid" : "none";
    setStyle(
      launcher,
      layout.position === "left"
        ? { left: "20px", right: "auto" }
        : { right: "20px", left: "auto" },
    );
    if (frame) setStyle(frame, frameStyle(phone?.matches, layout));
  }

  function emit(name, payload) {
    for (const { callback, includeText } of listeners.get(name) ?? []) {
      try {
        callback(eventPayload(name, payload, includeText));
      } catch (error) {
        // One host callback that throws must not keep the others from hearing the event.
        win.console?.error(error);
      }
    }
  }

  function setUnread(count) {
    if (count === unread) return;
    unread = count;
    storage?.setItem(UNREAD_KEY, String(count));
    drawLauncher();
    emit("unreadChanged", { count });
  }

  // Message text crosses to this page only while some listener asked for it.
  function syncTextOptIn() {
    const wanted = [...listeners.values()].some((list) => list.some((entry) => entry.includeText));
    if (wanted !== framesText) {
      framesText = wanted;
      post("events", { includeText: wanted });
    }
  }

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
    frame.title = launcherStrings(launch.language).frameTitle;
    frame.dataset.testid = "chat-frame";
    frame.hidden = true;
    setStyle(frame, {
      position: "fixed",
      border: "0",
      background: "#fff",
      "z-index": "2147483001",
      "box-shadow": "0 4px 24px rgba(0,0,0,.25)",
      ...frameStyle(phone?.matches, layout),
    });
    doc.body.append(frame);
  }

  function open() {
    ensureFrame();
    const opening = !isOpen;
    if (opening) returnFocus = doc.activeElement;
    frame.hidden = false;
    isOpen = true;
    storage?.setItem(OPEN_KEY, "1");
    launcher.setAttribute("aria-expanded", "true");
    drawLauncher();
    frame.focus();
    post("open");
    if (opening) emit("opened", {});
    setUnread(0);
  }

  function close() {
    if (!frame || !isOpen) return;
    frame.hidden = true;
    isOpen = false;
    storage?.setItem(OPEN_KEY, "0");
    launcher.setAttribute("aria-expanded", "false");
    drawLauncher();
    // Without our launcher, focus goes back to what opened the chat (the host's own button).
    (launch.launcher ? launcher : returnFocus)?.focus?.();
    post("close");
    emit("closed", {});
  }

  /** @param {Record<string, unknown>} theme */
  function applyLayout(theme, fromHost) {
    const sizes = { width: WIDTH, height: HEIGHT };
    for (const key of ["position", "width", "height"]) {
      const value = theme[key];
      if (value === undefined || (!fromHost && hostSet.has(key))) continue;
      if (key === "position" ? positionProblem(value) : sizeProblem(value, sizes[key])) {
        if (fromHost) win.console?.warn(`ConnectChat: theme.${key} ignored`);
        continue;
      }
      layout[key] = value;
      if (fromHost) hostSet.add(key);
    }
    const colour = theme.primaryColor;
    if (
      typeof colour === "string" &&
      /^#[0-9a-fA-F]{6}$/.test(colour) &&
      (fromHost || !hostSet.has("colour"))
    ) {
      launcher.style.background = colour;
      // The icon must stay visible on a light brand colour (WCAG 1.4.11, 3:1 for graphics).
      launcher.style.color = textColourOn(colour);
      if (fromHost) hostSet.add("colour");
    }
    drawLauncher();
  }

  const commands = {
    open,
    close,
    toggle: () => (isOpen ? close() : open()),
    setDisplayName: (name) => post("setDisplayName", String(name ?? "")),
    setAttributes: (attributes) => post("setAttributes", attributes),
    theme: (theme) => {
      if (theme && typeof theme === "object") applyLayout(theme, true);
      post("theme", theme);
    },
    settings: (settings) => {
      if (!settings || typeof settings !== "object") return;
      if (typeof settings.language === "string") launch.language = settings.language;
      if (typeof settings.label === "string") launch.label = settings.label.trim().slice(0, 80);
      if (typeof settings.launcher === "boolean") launch.launcher = settings.launcher;
      if (typeof settings.openOnLoad === "boolean") launch.openOnLoad = settings.openOnLoad;
      drawLauncher();
    },
    // Ends a chat in progress at once, without asking the visitor.
    endChat: () => frame && post("endChat"),
    on: (name, callback, options) => {
      if (
        !Object.prototype.hasOwnProperty.call(HOST_EVENTS, name) ||
        typeof callback !== "function"
      ) {
        win.console?.warn(`ConnectChat: cannot listen to "${name}"`);
        return;
      }
      const list = listeners.get(name) ?? [];
      list.push({ callback, includeText: name === "message" && options?.includeText === true });
      listeners.set(name, list);
      syncTextOptIn();
    },
    off: (name, callback) => {
      const list = listeners.get(name) ?? [];
      listeners.set(name, callback ? list.filter((entry) => entry.callback !== callback) : []);
      syncTextOptIn();
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
      // The stack's branding, unless the host's theme already chose.
      if (payload?.layout && typeof payload.layout === "object") applyLayout(payload.layout, false);
      for (const [queuedType, queuedPayload] of outbox.splice(0)) post(queuedType, queuedPayload);
    } else if (type === "close") {
      close();
    } else if (type === "active") {
      // Remember a live chat so the next page of this site keeps it connected.
      if (payload) storage?.setItem(ACTIVE_KEY, "1");
      else storage?.removeItem(ACTIVE_KEY);
    } else if (type === "event" && FRAME_EVENTS.includes(payload?.name)) {
      if (payload.name === "message" && payload.payload?.role !== "customer" && !isOpen)
        setUnread(unread + 1);
      emit(payload.name, payload.payload);
    }
  });
  phone?.addEventListener?.("change", drawLauncher);
  launcher.addEventListener("click", commands.toggle);

  const queued = win.ConnectChat?.q ?? [];
  api[INSTALLED] = true;
  win.ConnectChat = api;
  for (const args of queued) api(...args);
  drawLauncher();
  doc.body.append(launcher);
  if (unread > 0) emit("unreadChanged", { count: unread });
  // The visitor's last choice on this site wins; openOnLoad decides only before there is one.
  const remembered = storage?.getItem(OPEN_KEY) ?? null;
  const active = storage?.getItem(ACTIVE_KEY) === "1";
  if (!isOpen && (remembered === "1" || (remembered === null && (launch.openOnLoad || active))))
    open();
  // A chat the visitor minimised stays connected, out of sight, so its messages still count.
  else if (active) ensureFrame();
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
