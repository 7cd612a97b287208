// The transcript: one <li> per message or system event, with sender, time and, for the
// visitor's own messages, delivered/read status. The list is an ARIA log, so screen readers
// announce what arrives.
import { formatBytes } from "../attachments.js";
import { EVENT_TYPES } from "../chat-adapter.js";
import { parseInteractive, responseTitle } from "../interactive.js";
import { fillMessageBody } from "../markdown.js";
import { INTERACTIVE, INTERACTIVE_RESPONSE } from "../start-chat-request.js";
import { el } from "./element.js";
import { renderInteractive } from "./interactive-view.js";

const ROLE_LABEL = { customer: "You", agent: "Agent", bot: "Bot", system: "System" };
// Connect posts a Lex bot's answers as SYSTEM with this display name, flow messages as
// SYSTEM_MESSAGE.
const LEX_BOT_NAME = "BOT";

/**
 * Who a message is from, as its sender line shows it: "You", or the stack's display name for
 * the agent, a bot or the system (the hosted widget's customDisplayNames), else the name on
 * the wire, else the role's label.
 * @param {{role: string, participantRole?: string, displayName: string}} item
 * @param {Partial<Record<"agent"|"bot"|"system", string>>} displayNames
 */
export function senderName(item, displayNames = {}) {
  if (item.role === "customer") return ROLE_LABEL.customer;
  const bot = item.participantRole === "CUSTOM_BOT" || (item.role === "system" && item.displayName === LEX_BOT_NAME);
  const kind = bot ? "bot" : item.role === "agent" ? "agent" : "system";
  return displayNames[kind] || (bot && item.displayName === LEX_BOT_NAME ? "" : item.displayName) || ROLE_LABEL[kind];
}

export function systemEventText(item) {
  const who = item.displayName || (item.participantRole === "AGENT" ? "An agent" : "Someone");
  switch (item.contentType) {
    case EVENT_TYPES.joined:
      return item.participantRole === "CUSTOMER" ? null : `${who} joined the chat`;
    case EVENT_TYPES.left:
      return item.participantRole === "CUSTOMER" ? null : `${who} left the chat`;
    case EVENT_TYPES.ended:
      return "The chat has ended";
    case EVENT_TYPES.transferSucceeded:
      return "You're being transferred";
    case EVENT_TYPES.transferFailed:
      return "The transfer failed";
    case EVENT_TYPES.idle:
      return `${who} is idle`;
    case EVENT_TYPES.returned:
      return `${who} is back`;
    case EVENT_TYPES.autoDisconnection:
      return `${who} was disconnected after a period of inactivity`;
    default:
      return null;
  }
}

function formatTime(date) {
  return date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
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

  /** Adds a ChatItem; ignores duplicates (the websocket echoes our own sends). */
  add(item) {
    if (item.id && this.byId.has(item.id)) return this.byId.get(item.id);
    const node = item.kind === "event" ? this.renderEvent(item) : this.renderMessage(item);
    if (!node) return null;
    if (item.kind === "attachment" && item.role === "customer") this.replacePendingUpload(item);
    if (item.id) {
      node.dataset.messageId = item.id;
      this.byId.set(item.id, node);
    }
    this.insertInOrder(node, item.time);
    node.scrollIntoView?.({ block: "end" });
    const pending = this.pendingReceipts.get(item.id);
    if (pending) this.applyReceipt(pending);
    return node;
  }

  /**
   * Keeps the list in time order: the live websocket can deliver a message before the
   * transcript request that also holds older items has answered.
   */
  insertInOrder(node, time) {
    const at = time.getTime();
    node.dataset.time = String(at);
    let next = null;
    for (let sibling = this.list.lastElementChild; sibling; sibling = sibling.previousElementSibling) {
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
            this.setStatusText(node, "Sent");
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
        this.setStatusText(node, "Sent");
        this.byId.set(id, node);
        const pending = this.pendingReceipts.get(id);
        if (pending) this.applyReceipt(pending);
      },
      fail: (reason) => {
        node.dataset.status = "failed";
        this.setStatusText(node, reason ?? "Not sent");
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
      this.setStatusText(node, "Read");
    } else if (receipt.delivered && node.dataset.status !== "read") {
      node.dataset.status = "delivered";
      this.setStatusText(node, "Delivered");
    }
  }

  setStatusText(node, text) {
    const status = node.querySelector(".status");
    if (status) status.textContent = text;
  }

  renderEvent(item) {
    const text = systemEventText(item);
    if (!text) return null;
    return el(
      "li",
      { className: "message system", "data-role": "system" },
      el("span", { className: "body" }, text),
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
              onClick: () => this.onDownload(attachment),
              "aria-label": `Download ${attachment.name}`,
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
      body.textContent = "This message can't be displayed here.";
      return body;
    }
    if (item.contentType === INTERACTIVE_RESPONSE) {
      body.textContent = responseTitle(item.content);
      return body;
    }
    fillMessageBody(body, item.content, item.contentType, this.markdown);
    return body;
  }

  renderMessage(item) {
    const role = item.role;
    const sender = senderName(item, this.displayNames);
    return el(
      "li",
      { className: `message ${role}`, "data-role": role },
      el(
        "div",
        { className: "meta" },
        el("span", { className: "sender" }, sender),
        " ",
        el("time", { datetime: item.time.toISOString() }, formatTime(item.time)),
      ),
      this.renderBody(item),
      role === "customer" ? el("span", { className: "status" }) : null,
    );
  }
}
