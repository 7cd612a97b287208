// The host-page side of the widget: a launcher button, the chat iframe from our origin, and
// the snippet-queue API window.ConnectChat(command, ...args). Styles go through the CSSOM
// (element.style), which host CSPs without 'unsafe-inline' still allow.
import { HEIGHT, POSITIONS, WIDTH } from "../chat/branding.js";
import { textColourOn } from "../chat/theme.js";
import { launcherLabel, launcherStrings } from "./launcher-strings.js";

export const SOURCE = "connect-chat";
const ACTIVE_KEY = "connect-chat:active";
// The visitor's last choice ("1" open, "0" closed) and the unread count, for the next page.
const OPEN_KEY = "connect-chat:open";
const UNREAD_KEY = "connect-chat:unread";
const PHONE = "(max-width:480px)";
const INSTALLED = "connectChatInstalled";

// The events the chat frame raises; the loader raises the last three itself, and a frame cannot.
const FRAME_EVENTS = ["chatStarted", "agentJoined", "message", "chatEnded", "error"];
/** The events a host can subscribe to (docs/embedding.md lists each one's payload). */
export const HOST_EVENTS = [...FRAME_EVENTS, "opened", "closed", "unreadChanged"];

/**
 * A listener's own copy of an event's payload (plain data: it crossed postMessage's structured
 * clone), without the message text unless the listener asked for it.
 * @param {Record<string, unknown> | undefined} payload
 * @param {boolean} includeText
 */
export function eventPayload(payload, includeText) {
  const copy = { ...payload };
  if (!includeText) delete copy.text;
  return copy;
}

/** @typedef {{position: string, width: number, height: number, primaryColor: string}} FrameLayout */

/** @param {{min: number, max: number}} bounds */
function within({ min, max }) {
  return (/** @type {number} */ value) => Number.isInteger(value) && value >= min && value <= max;
}

/**
 * branding.js's rules for what the loader draws, in brief: the loader's bytes count.
 * @type {Record<string, (value: any) => boolean>}
 */
const LAYOUT_RULES = {
  position: (value) => POSITIONS.includes(value),
  width: within(WIDTH),
  height: within(HEIGHT),
  primaryColor: (value) => /^#[\da-f]{6}$/i.test(value),
};

/**
 * @param {boolean | undefined} phone
 * @param {FrameLayout} layout
 */
function frameStyle(phone, { position, width, height }) {
  const place = phone
    ? "inset:0;width:100%;height:100%;border-radius:0"
    : `inset:${position === "left" ? "auto auto 90px 20px" : "auto 20px 90px auto"};width:${width}px;` +
      `height:${height}px;max-height:calc(100vh - 110px);max-width:calc(100vw - 40px);border-radius:12px`;
  return `position:fixed;border:0;background:#fff;z-index:2147483001;box-shadow:0 4px 24px rgba(0,0,0,.25);${place}`;
}

/** Is this a message from our chat frame? Checks origin, sender window and shape. */
export function isFrameMessage(event, widgetOrigin, frameWindow) {
  return (
    event.origin === widgetOrigin &&
    frameWindow !== null &&
    event.source === frameWindow &&
    // Optional chaining refuses null and primitives alike: they have no `source` of ours.
    event.data?.source === SOURCE
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
  const warn = (text) => win.console?.warn(`ConnectChat: ${text}`);
  let frame = null;
  let ready = false;
  let isOpen = false;
  let customerTokenProvider = null;
  let unread = Number(storage?.getItem(UNREAD_KEY)) || 0;
  let returnFocus = null;
  const outbox = [];
  /** Launch settings from the host API (`settings`). */
  const launch = { language: "en", label: "", launcher: true, openOnLoad: false };
  /** @type {FrameLayout} */
  const layout = {
    position: "right",
    width: WIDTH.default,
    height: HEIGHT.default,
    primaryColor: "#1f4fd1",
  };
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
  // cssText is the CSSOM too: host CSPs without 'unsafe-inline' allow it.
  badge.style.cssText =
    "position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;" +
    "box-sizing:border-box;border-radius:10px;background:#b3261e;color:#fff;font:bold 12px/20px sans-serif";
  launcher.append(badge);
  launcher.dataset.testid = "chat-launcher";
  launcher.style.cssText =
    "position:fixed;width:56px;height:56px;border-radius:50%;border:2px solid #fff;" +
    "padding:0;place-items:center;cursor:pointer;" +
    "z-index:2147483000;box-shadow:0 2px 10px rgba(0,0,0,.3)";

  function drawLauncher() {
    launcher.setAttribute("aria-label", launcherLabel({ ...launch, open: isOpen, unread }));
    launcher.setAttribute("aria-expanded", `${isOpen}`);
    badge.textContent = unread > 0 ? `${unread}` : "";
    badge.style.display = unread > 0 && !isOpen ? "block" : "none";
    launcher.style.display = launch.launcher ? "grid" : "none";
    launcher.style.background = layout.primaryColor;
    // The icon must stay visible on a light brand colour (WCAG 1.4.11, 3:1 for graphics).
    launcher.style.color = textColourOn(layout.primaryColor);
    launcher.style.inset =
      layout.position === "left" ? "auto auto 20px 20px" : "auto 20px 20px auto";
    if (frame) frame.style.cssText = frameStyle(phone?.matches, layout);
  }

  function emit(name, payload) {
    for (const { callback, includeText } of listeners.get(name) ?? []) {
      try {
        callback(eventPayload(payload, includeText));
      } catch (error) {
        // One host callback that throws must not keep the others from hearing the event.
        warn(error);
      }
    }
  }

  function setUnread(count) {
    if (count === unread) return;
    unread = count;
    storage?.setItem(UNREAD_KEY, `${count}`);
    drawLauncher();
    emit("unreadChanged", { count });
  }

  // Message text crosses to this page only while some listener asked for it.
  function syncTextOptIn() {
    const wanted = (listeners.get("message") ?? []).some((entry) => entry.includeText);
    if (wanted !== framesText) {
      framesText = wanted;
      post("events", { includeText: wanted });
    }
  }

  function post(type, payload) {
    // Only the frame says it is ready, so there is no ready without a frame.
    if (!ready) {
      outbox.push([type, payload]);
      return;
    }
    try {
      frame.contentWindow.postMessage({ source: SOURCE, type, payload }, widgetOrigin);
    } catch (error) {
      // A payload the browser cannot clone (a function, a DOM node) fails alone: the host hears
      // why, and the commands queued after it still reach the chat.
      warn(`"${type}" not sent: ${error}`);
    }
  }

  function ensureFrame() {
    if (frame) return;
    frame = doc.createElement("iframe");
    frame.src = new URL(`chat.html?host=${encodeURIComponent(win.location.origin)}`, base).href;
    frame.title = launcherStrings(launch.language).chat;
    frame.dataset.testid = "chat-frame";
    frame.hidden = true;
    doc.body.append(frame);
    drawLauncher();
  }

  function open() {
    ensureFrame();
    const opening = !isOpen;
    if (opening) returnFocus = doc.activeElement;
    frame.hidden = false;
    isOpen = true;
    storage?.setItem(OPEN_KEY, "1");
    drawLauncher();
    frame.focus();
    post("open");
    if (opening) emit("opened");
    setUnread(0);
  }

  function close() {
    // Open means open() made the frame.
    if (!isOpen) return;
    frame.hidden = true;
    isOpen = false;
    storage?.setItem(OPEN_KEY, "0");
    drawLauncher();
    // Without our launcher, focus goes back to what opened the chat (the host's own button).
    (launch.launcher ? launcher : returnFocus)?.focus?.();
    post("close");
    emit("closed");
  }

  /**
   * @param {Record<string, unknown>} theme
   * @param {boolean} [fromHost] the host's theme, not the stack's branding the frame reports
   */
  function applyLayout(theme, fromHost) {
    for (const [key, valid] of Object.entries(LAYOUT_RULES)) {
      const value = theme?.[key];
      if (!valid(value) || (!fromHost && hostSet.has(key))) continue;
      layout[key] = value;
      if (fromHost) hostSet.add(key);
    }
    drawLauncher();
  }

  // No prototype: "constructor" or "__proto__" must not reach Object's members.
  const commands = {
    __proto__: null,
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
      customerTokenProvider = callback;
      // A non-function is no provider: calling it throws, which answers null.
      post("customerTokenProvider", typeof callback === "function");
    },
    setLanguage: (code) => post("setLanguage", String(code ?? "")),
    theme: (theme) => {
      applyLayout(theme, true);
      post("theme", theme);
    },
    settings: (settings) => {
      // Each setting keeps its default unless given with the default's type.
      for (const key of Object.keys(launch)) {
        if (typeof settings?.[key] === typeof launch[key]) launch[key] = settings[key];
      }
      drawLauncher();
    },
    // Ends a chat in progress at once, without asking the visitor.
    endChat: () => frame && post("endChat"),
    on: (name, callback, options) => {
      if (!HOST_EVENTS.includes(name) || typeof callback !== "function") {
        warn(`cannot listen to "${name}"`);
        return;
      }
      const list = listeners.get(name) ?? [];
      // Only message payloads carry text, and only message listeners ask the chat for it.
      list.push({ callback, includeText: options?.includeText === true });
      listeners.set(name, list);
      syncTextOptIn();
    },
    off: (name, callback) => {
      listeners.set(
        name,
        (listeners.get(name) ?? []).filter((entry) => entry.callback !== callback),
      );
      syncTextOptIn();
    },
  };

  function api(command, ...args) {
    const run = commands[command];
    if (!run) {
      warn(`unknown command "${command}"`);
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
      applyLayout(payload?.layout);
      for (const queued of outbox.splice(0)) post(...queued);
    } else if (type === "close") {
      close();
    } else if (type === "customerTokenRequest") {
      // No callback answers null, as a callback that throws or rejects does; the chat checks
      // the id it gets back against the requests it made.
      void Promise.resolve()
        .then(() => customerTokenProvider?.())
        .catch(() => null)
        .then((token) =>
          post("customerToken", {
            id: payload?.id,
            token: typeof token === "string" ? token : null,
          }),
        );
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
  const remembered = storage?.getItem(OPEN_KEY);
  const active = storage?.getItem(ACTIVE_KEY) === "1";
  if (!isOpen && (remembered === "1" || (!remembered && (launch.openOnLoad || active)))) open();
  // A chat the visitor minimised stays connected, out of sight, so its messages still count.
  else if (active) ensureFrame();
  return { api, launcher, frame: () => frame };
}

// An inline SVG, not an emoji: hosts without an emoji font (many Linux desktops, kiosks) would
// show a missing-glyph box.
function chatBubbleIcon(doc) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = doc.createElementNS(ns, "svg");
  const path = doc.createElementNS(ns, "path");
  for (const [node, attributes] of [
    [
      svg,
      {
        viewBox: "0 0 24 24",
        width: "26",
        height: "26",
        "aria-hidden": "true",
        focusable: "false",
      },
    ],
    [
      path,
      {
        fill: "currentColor",
        d: "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
      },
    ],
  ]) {
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  }
  svg.append(path);
  return svg;
}
