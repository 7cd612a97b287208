// The transcript: one <li> per message or system event, with sender, time and, for the
// visitor's own messages, delivered/read status. The list is an ARIA log, so screen readers
// announce what arrives.
import { localize } from "../../i18n/dom.js";
import { currentLanguage, t } from "../../i18n/index.js";
import { formatBytes } from "../attachments.js";
import { EVENT_TYPES } from "../chat-adapter.js";
import { parseInteractive, responseTitle } from "../interactive.js";
import { INTERACTIVE, INTERACTIVE_RESPONSE } from "../start-chat-request.js";
import { el } from "./element.js";
import { renderInteractive } from "./interactive-view.js";

/** @type {typeof import("../markdown.js") | null} */
let markdownRenderer = null;
/** @type {Promise<typeof import("../markdown.js")> | null} */
let markdownLoading = null;
/** @type {Record<"customer"|"agent"|"bot"|"system", import("../../i18n/index.js").MessageKey>} */
const ROLE_LABEL = {
  customer: "role.customer",
  agent: "role.agent",
  bot: "role.bot",
  system: "role.system",
};
// Connect posts a Lex bot's answers as SYSTEM with this display name, flow messages as
// SYSTEM_MESSAGE.
const LEX_BOT_NAME = "BOT";

/**
 * Who a message is from, as its sender line shows it: the stack's display name for the agent,
 * a bot or the system (the hosted widget's customDisplayNames), else the name on the wire,
 * else the role's catalogue label ("You" for the visitor), so a later setLanguage relabels it.
 * @param {{role: string, participantRole?: string, displayName: string}} item
 * @param {Partial<Record<"agent"|"bot"|"system", string>>} displayNames
 * @returns {{name: string} | {key: import("../../i18n/index.js").MessageKey}}
 */
export function senderLabel(item, displayNames = {}) {
  if (item.role === "customer") return { key: ROLE_LABEL.customer };
  const bot =
    item.participantRole === "CUSTOM_BOT" ||
    (item.role === "system" && item.displayName === LEX_BOT_NAME);
  const kind = bot ? "bot" : item.role === "agent" ? "agent" : "system";
  const name =
    displayNames[kind] || (bot && item.displayName === LEX_BOT_NAME ? "" : item.displayName);
  return name ? { name } : { key: ROLE_LABEL[kind] };
}

/**
 * The sender line's text in the current language.
 * @param {{role: string, participantRole?: string, displayName: string}} item
 * @param {Partial<Record<"agent"|"bot"|"system", string>>} displayNames
 */
export function senderName(item, displayNames = {}) {
  const label = senderLabel(item, displayNames);
  return "name" in label ? label.name : t(label.key);
}

/**
 * The markdown renderer (marked + DOMPurify, a fifth of the chat's own code) is its own chunk,
 * fetched when the first markdown message is drawn: many chats never have one.
 * @returns {Promise<typeof import("../markdown.js")>}
 */
export function loadMarkdownRenderer() {
  markdownLoading ??= import("../markdown.js").then((module) => (markdownRenderer = module));
  return markdownLoading;
}

/**
 * Fills a message body; markdown shows as its plain text (never as HTML) until the renderer
 * has loaded, then is drawn in place.
 * @param {HTMLElement} body
 * @param {unknown} content
 * @param {string} contentType
 * @param {boolean} markdownEnabled
 */
function fillBody(body, content, contentType, markdownEnabled) {
  if (contentType !== "text/markdown" || !markdownEnabled) {
    body.textContent = String(content ?? "");
    return;
  }
  if (markdownRenderer) {
    markdownRenderer.fillMessageBody(body, content, contentType, true);
    return;
  }
  body.textContent = String(content ?? "");
  loadMarkdownRenderer().then(
    (renderer) => renderer.fillMessageBody(body, content, contentType, true),
    () => {
      // Offline or a failed deploy: the plain text stays, which loses no words.
      markdownLoading = null;
    },
  );
}

/**
 * The catalogue key (and its parameters) that describes a system event, or null for events
 * the visitor does not need to see.
 * @returns {{key: import("../../i18n/index.js").MessageKey, params?: {name: string}} | null}
 */
export function systemEventMessage(item) {
  const params = {
    name:
      item.displayName || t(item.participantRole === "AGENT" ? "event.anAgent" : "event.someone"),
  };
  switch (item.contentType) {
    case EVENT_TYPES.joined:
      return item.participantRole === "CUSTOMER" ? null : { key: "event.joined", params };
    case EVENT_TYPES.left:
      return item.participantRole === "CUSTOMER" ? null : { key: "event.left", params };
    case EVENT_TYPES.ended:
      return { key: "event.ended" };
    case EVENT_TYPES.transferSucceeded:
      return { key: "event.transferring" };
    case EVENT_TYPES.transferFailed:
      return { key: "event.transferFailed" };
    case EVENT_TYPES.idle:
      return { key: "event.idle", params };
    case EVENT_TYPES.returned:
      return { key: "event.returned", params };
    case EVENT_TYPES.autoDisconnection:
      return { key: "event.autoDisconnected", params };
    default:
      return null;
  }
}

/** @returns {string | null} */
export function systemEventText(item) {
  const message = systemEventMessage(item);
  return message ? t(message.key, message.params) : null;
}

export const STREAM_IDLE_MS = 15000;

export function formatTime(date) {
  return date.toLocaleTimeString(currentLanguage(), { hour: "2-digit", minute: "2-digit" });
}

export class MessageList {
  /**
   * @param {HTMLElement} list the <ol> log element
   * @param {{markdown: boolean, displayNames?: Partial<Record<"agent"|"bot"|"system", string>>,
   *   onSelect: (model: any, selection: any) => void,
   *   onDownload: (attachment: {id: string, name: string}) => void}} options
   */
  constructor(list, { markdown, displayNames = {}, onSelect, onDownload }) {
    this.list = list;
    this.markdown = markdown;
    this.displayNames = displayNames;
    this.onSelect = onSelect;
    this.onDownload = onDownload;
    this.byId = new Map();
    this.pendingReceipts = new Map();
    /** @type {Map<HTMLElement, ReturnType<typeof setTimeout>>} */
    this.streamTimers = new Map();
  }

  /** Names for messages drawn from now on (the host's theme may arrive mid-chat). */
  setDisplayNames(displayNames) {
    this.displayNames = displayNames;
  }

  clear() {
    this.list.replaceChildren();
    this.byId.clear();
  }

  has(id) {
    return id !== "" && this.byId.has(id);
  }

  /**
   * Adds a ChatItem; ignores duplicates (the websocket echoes our own sends), except a
   * streamed bot answer, which grows in place under its Id.
   */
  add(item) {
    if (item.id && this.byId.has(item.id)) {
      const existing = this.byId.get(item.id);
      if (existing.dataset.streaming === "true") this.updateStream(existing, item);
      return existing;
    }
    const node = item.kind === "event" ? this.renderEvent(item) : this.renderMessage(item);
    if (!node) return null;
    if (item.kind === "attachment" && item.role === "customer") this.replacePendingUpload(item);
    if (item.id) {
      node.dataset.messageId = item.id;
      this.byId.set(item.id, node);
    }
    this.insertInOrder(node, item.time);
    if (item.streaming) this.markStreaming(node, true);
    node.scrollIntoView?.({ block: "end" });
    const pending = this.pendingReceipts.get(item.id);
    if (pending) this.applyReceipt(pending);
    return node;
  }

  /**
   * A streamed answer is busy while it grows: assistive technology waits for aria-busy to
   * clear and then reads the whole message once, instead of every chunk. The log itself is
   * busy while any answer streams, as some screen readers only honour it on the live region.
   * A stream whose end never comes is closed after STREAM_IDLE_MS.
   * @param {HTMLElement} node
   * @param {boolean} streaming
   */
  markStreaming(node, streaming) {
    clearTimeout(this.streamTimers.get(node));
    if (streaming) {
      node.dataset.streaming = "true";
      node.setAttribute("aria-busy", "true");
      this.streamTimers.set(
        node,
        setTimeout(() => this.markStreaming(node, false), STREAM_IDLE_MS),
      );
    } else {
      delete node.dataset.streaming;
      node.removeAttribute("aria-busy");
      this.streamTimers.delete(node);
    }
    const log = this.list.parentElement;
    if (!log) return;
    if (this.list.querySelector("[data-streaming]")) log.setAttribute("aria-busy", "true");
    else log.removeAttribute("aria-busy");
  }

  /** @param {HTMLElement} node @param {import("../chat-adapter.js").ChatItem} item */
  updateStream(node, item) {
    const body = node.querySelector(".body");
    if (body) body.replaceWith(this.renderBody(item));
    this.markStreaming(node, item.streaming === true);
    node.scrollIntoView?.({ block: "end" });
  }

  /**
   * Keeps the list in time order: the live websocket can deliver a message before the
   * transcript request that also holds older items has answered.
   */
  insertInOrder(node, time) {
    const at = time.getTime();
    node.dataset.time = String(at);
    let next = null;
    for (
      let sibling = this.list.lastElementChild;
      sibling;
      sibling = sibling.previousElementSibling
    ) {
      if (Number(/** @type {HTMLElement} */ (sibling).dataset.time) <= at) break;
      next = sibling;
    }
    this.list.insertBefore(node, next);
  }

  /**
   * ChatJS's sendAttachment resolves without the transcript item's id, so the visitor's upload
   * placeholder is matched to the websocket echo by file name.
   */
  replacePendingUpload(item) {
    const names = new Set(item.attachments.map((a) => a.name));
    for (const pending of this.list.querySelectorAll("[data-pending-upload]")) {
      if (names.has(/** @type {HTMLElement} */ (pending).dataset.pendingUpload)) {
        pending.remove();
        return;
      }
    }
  }

  /** Adds a placeholder for a message being sent; `confirm(id)` ties it to the server's id. */
  addPending(item) {
    const node = this.renderMessage(item);
    node.dataset.status = "sending";
    if (item.kind === "attachment") node.dataset.pendingUpload = item.attachments[0]?.name ?? "";
    this.insertInOrder(node, item.time);
    node.scrollIntoView?.({ block: "end" });
    return {
      node,
      confirm: (id, absoluteTime) => {
        if (!id) {
          if (node.parentNode) {
            node.dataset.status = "sent";
            this.setStatusText(node, "status.sent");
          }
          return;
        }
        const existing = this.byId.get(id);
        if (existing && existing !== node) {
          node.remove();
          return;
        }
        // Re-place by the server's clock: the visitor's clock may be off from Connect's.
        const serverTime = absoluteTime ? new Date(absoluteTime) : null;
        if (serverTime && !Number.isNaN(serverTime.getTime())) {
          node.remove();
          this.insertInOrder(node, serverTime);
        }
        node.dataset.messageId = id;
        node.dataset.status = "sent";
        this.setStatusText(node, "status.sent");
        this.byId.set(id, node);
        const pending = this.pendingReceipts.get(id);
        if (pending) this.applyReceipt(pending);
      },
      /** @param {import("../../i18n/index.js").MessageKey} [reason] */
      fail: (reason) => {
        node.dataset.status = "failed";
        this.setStatusText(node, reason ?? "status.notSent");
      },
    };
  }

  applyReceipt(receipt) {
    const node = this.byId.get(receipt.messageId);
    if (!node) {
      this.pendingReceipts.set(receipt.messageId, receipt);
      return;
    }
    this.pendingReceipts.delete(receipt.messageId);
    if (node.dataset.role !== "customer") return;
    if (receipt.read) {
      node.dataset.status = "read";
      this.setStatusText(node, "status.read");
    } else if (receipt.delivered && node.dataset.status !== "read") {
      node.dataset.status = "delivered";
      this.setStatusText(node, "status.delivered");
    }
  }

  /** @param {import("../../i18n/index.js").MessageKey} key */
  /**
   * What the log shows, in order, for the transcript download: the rendered text (never the
   * wire's markup) and attachment names. Messages that failed to send are left out.
   * @returns {import("../transcript-writer.js").TranscriptEntry[]}
   */
  transcriptEntries() {
    return [...this.list.children]
      .map((child) => /** @type {HTMLElement} */ (child))
      .filter((node) => node.dataset.status !== "failed")
      .map((node) => {
        const attachments = [...node.querySelectorAll("button.attachment")].map(
          (button) => /** @type {HTMLElement} */ (button).dataset.name ?? "",
        );
        return {
          role: node.dataset.role ?? "system",
          sender: node.querySelector(".sender")?.textContent ?? "",
          time: new Date(Number(node.dataset.time)),
          text: attachments.length > 0 ? "" : (node.querySelector(".body")?.textContent ?? ""),
          attachments,
        };
      });
  }

  setStatusText(node, key) {
    const status = node.querySelector(".status");
    if (status) localize(status, key);
  }

  renderEvent(item) {
    const message = systemEventMessage(item);
    if (!message) return null;
    return el(
      "li",
      { className: "message system", "data-role": "system" },
      localize(el("span", { className: "body" }), message.key, message.params),
      el("time", { datetime: item.time.toISOString() }, ` ${formatTime(item.time)}`),
    );
  }

  renderBody(item) {
    const body = el("div", { className: "body" });
    if (item.kind === "attachment") {
      for (const attachment of item.attachments) {
        body.append(
          el(
            "button",
            {
              type: "button",
              className: "attachment",
              "data-name": attachment.name,
              onClick: () => this.onDownload(attachment),
              "aria-label": t("attachment.download", { name: attachment.name }),
            },
            `📎 ${attachment.name}`,
            attachment.size ? ` (${formatBytes(attachment.size)})` : "",
          ),
        );
      }
      return body;
    }
    if (item.contentType === INTERACTIVE) {
      const model = parseInteractive(item.content);
      if (model) {
        body.append(renderInteractive(model, this.onSelect));
        return body;
      }
      localize(body, "message.unsupported");
      return body;
    }
    if (item.contentType === INTERACTIVE_RESPONSE) {
      body.textContent = responseTitle(item.content);
      return body;
    }
    fillBody(body, item.content, item.contentType, this.markdown);
    return body;
  }

  renderMessage(item) {
    const role = item.role;
    const label = senderLabel(item, this.displayNames);
    const sender =
      "name" in label
        ? el("span", { className: "sender" }, label.name)
        : localize(el("span", { className: "sender" }), label.key);
    return el(
      "li",
      { className: `message ${role}`, "data-role": role },
      el(
        "div",
        { className: "meta" },
        sender,
        " ",
        el("time", { datetime: item.time.toISOString() }, formatTime(item.time)),
      ),
      this.renderBody(item),
      role === "customer" ? el("span", { className: "status" }) : null,
    );
  }
}
