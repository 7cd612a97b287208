// The chat page's side of the postMessage link with the page that embeds it (widget.js).
// frame-ancestors in the CSP decides who may frame us; these checks decide whose messages we
// obey and to whom we talk: only the embedding origin, and only when allowedOrigins lists it.

export const MESSAGE_SOURCE = "connect-chat";
const HOST_COMMANDS = [
  "open",
  "close",
  "setDisplayName",
  "setAttributes",
  "theme",
  "setCustomerToken",
  "customerTokenProvider",
  "customerToken",
];

/** True when `origin` may embed the chat: our own origin or one listed in allowedOrigins. */
export function isAllowedOrigin(origin, allowedOrigins, ownOrigin) {
  if (typeof origin !== "string" || origin === "" || origin === "null") return false;
  return origin === ownOrigin || allowedOrigins.includes(origin);
}

/**
 * Which origin embeds us. widget.js passes it as ?host=; where the browser can tell us the
 * truth (location.ancestorOrigins, or the referrer), the claim must match it.
 */
export function resolveHostOrigin({ search, ancestorOrigins, referrer, allowedOrigins, ownOrigin }) {
  const claimed = new URLSearchParams(search).get("host");
  if (!claimed) return null;
  let observed = null;
  if (ancestorOrigins && ancestorOrigins.length > 0) {
    observed = ancestorOrigins[0];
  } else if (referrer) {
    try {
      observed = new URL(referrer).origin;
    } catch {
      observed = null;
    }
  }
  if (observed !== null && observed !== claimed) return null;
  return isAllowedOrigin(claimed, allowedOrigins, ownOrigin) ? claimed : null;
}

/** Validates a message event from the host; returns the command or null. */
export function readHostCommand(event, { hostOrigin, parentWindow }) {
  if (!hostOrigin || event.origin !== hostOrigin) return null;
  // Without a known parent window there is no sender to compare against: obey nothing, rather
  // than anything from the host's origin (its other frames, pop-ups and workers included).
  if (!parentWindow || event.source !== parentWindow) return null;
  const data = event.data;
  if (!data || typeof data !== "object" || data.source !== MESSAGE_SOURCE) return null;
  if (!HOST_COMMANDS.includes(data.type)) return null;
  return { type: data.type, payload: data.payload };
}

export class HostChannel {
  constructor({ hostOrigin, window: win = globalThis.window }) {
    this.hostOrigin = hostOrigin;
    this.window = win;
    this.parent = win.parent;
    this.handlers = new Map();
    this.onMessage = (event) => {
      const command = readHostCommand(event, { hostOrigin: this.hostOrigin, parentWindow: this.parent });
      if (command) this.handlers.get(command.type)?.(command.payload);
    };
  }

  get embedded() {
    return this.hostOrigin !== null;
  }

  start() {
    if (this.embedded) this.window.addEventListener("message", this.onMessage);
  }

  on(type, handler) {
    this.handlers.set(type, handler);
  }

  /** Tells the host something; the target origin makes the browser drop it for anyone else. */
  send(type, payload = undefined) {
    if (!this.embedded) return;
    this.parent.postMessage({ source: MESSAGE_SOURCE, type, payload }, this.hostOrigin);
  }
}
