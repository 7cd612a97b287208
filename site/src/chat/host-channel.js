// The chat page's side of the postMessage link with the page that embeds it (widget.js).
// frame-ancestors in the CSP decides who may frame us; these checks decide whose messages we
// obey and to whom we talk: only the embedding origin, and only when allowedOrigins lists it.

export const MESSAGE_SOURCE = "connect-chat";

/**
 * The host's commands (widget.js's ConnectChat API) and the payload each carries, before
 * host-commands.js cleans it: the host is another origin, so the payload is unknown.
 * setCustomerToken carries a signed-in customer's JWT (null: signed out); customerTokenProvider
 * says whether the host has a token callback; customerToken answers a customerTokenRequest.
 * @typedef {"open"|"close"|"setDisplayName"|"setAttributes"|"setLanguage"|"theme"|"endChat"
 *   |"events"|"setCustomerToken"|"customerTokenProvider"|"customerToken"} HostCommandType
 * @typedef {{type: HostCommandType, payload: unknown}} HostCommand
 */

/**
 * The host events the chat raises (host-api.js passes them to the host's ConnectChat("on")
 * callbacks) and their payloads: plain data, message text only when the host opted in.
 * @typedef {{chatStarted: {contactId: string}, agentJoined: {displayName: string},
 *   message: {role: string, contentType: string, text?: string},
 *   chatEnded: {contactId: string, reason: ChatEndReason}, error: {code: string}}} ChatEvents
 * @typedef {"customer"|"host"|"connect"} ChatEndReason
 * @typedef {{[K in keyof ChatEvents]: {name: K, payload: ChatEvents[K]}}[keyof ChatEvents]} ChatEvent
 */

/**
 * What the chat tells the host, and the payload of each (host-api.js reads them). `ready`
 * carries the stack's launcher layout, which the loader uses unless the host's theme set it.
 * customerTokenRequest asks the host's token callback for a customer JWT, answered by a
 * customerToken command with the same id.
 * @typedef {{position: string, width: number, height: number, primaryColor: string}} FrameLayout
 * @typedef {{ready: {active: boolean, layout: FrameLayout}, active: boolean, close: undefined,
 *   event: ChatEvent, customerTokenRequest: {id: string}}} ChatToHostMessages
 */

/**
 * What the chat needs of its link to the host: HostChannel, or a fake in the tests.
 * @typedef {Pick<HostChannel, "embedded"|"on"|"start"|"send">} HostLink
 */

/** @type {HostCommandType[]} */
const HOST_COMMANDS = [
  "open",
  "close",
  "setDisplayName",
  "setAttributes",
  "setLanguage",
  "theme",
  "endChat",
  "events",
  "setCustomerToken",
  "customerTokenProvider",
  "customerToken",
];

/**
 * True when `origin` may embed the chat: our own origin or one listed in allowedOrigins.
 * @param {unknown} origin
 * @param {readonly string[]} allowedOrigins
 * @param {string} ownOrigin
 */
export function isAllowedOrigin(origin, allowedOrigins, ownOrigin) {
  if (typeof origin !== "string" || origin === "" || origin === "null") return false;
  return origin === ownOrigin || allowedOrigins.includes(origin);
}

/**
 * Which origin embeds us. widget.js passes it as ?host=; where the browser can tell us the
 * truth (location.ancestorOrigins, or the referrer), the claim must match it.
 * @param {{search: string, ancestorOrigins?: ArrayLike<string>, referrer?: string,
 *   allowedOrigins: readonly string[], ownOrigin: string}} page
 * @returns {string|null}
 */
export function resolveHostOrigin({
  search,
  ancestorOrigins,
  referrer,
  allowedOrigins,
  ownOrigin,
}) {
  const claimed = new URLSearchParams(search).get("host");
  if (!claimed) return null;
  /** @type {string|null} */
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

/**
 * Validates a message event from the host; returns the command or null.
 * @param {MessageEvent} event
 * @param {{hostOrigin: string|null, parentWindow?: unknown}} channel the parent is only compared
 * @returns {HostCommand|null}
 */
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
  /**
   * @param {{hostOrigin: string|null, window?: {parent: Pick<Window, "postMessage">,
   *   addEventListener(type: "message", listener: (event: MessageEvent) => void): void}}} options
   */
  constructor({ hostOrigin, window: win = globalThis.window }) {
    this.hostOrigin = hostOrigin;
    this.window = win;
    this.parent = win.parent;
    /** @type {Map<HostCommandType, (payload: unknown) => void>} */
    this.handlers = new Map();
    /** @param {MessageEvent} event */
    this.onMessage = (event) => {
      const command = readHostCommand(event, {
        hostOrigin: this.hostOrigin,
        parentWindow: this.parent,
      });
      if (command) this.handlers.get(command.type)?.(command.payload);
    };
  }

  get embedded() {
    return this.hostOrigin !== null;
  }

  start() {
    if (this.embedded) this.window.addEventListener("message", this.onMessage);
  }

  /**
   * @param {HostCommandType} type
   * @param {(payload: unknown) => void} handler
   */
  on(type, handler) {
    this.handlers.set(type, handler);
  }

  /**
   * Tells the host something; the target origin makes the browser drop it for anyone else.
   * @template {keyof ChatToHostMessages} T
   * @param {T} type
   * @param {ChatToHostMessages[T]} [payload]
   */
  send(type, payload) {
    if (!this.embedded || this.hostOrigin === null) return;
    this.parent.postMessage({ source: MESSAGE_SOURCE, type, payload }, this.hostOrigin);
  }
}
