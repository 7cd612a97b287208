// What the chat tells the embedding page about itself (ConnectChat("on", ...)): which items
// become events, and their plain-data payloads. Message text leaves the chat only when the host
// opted in; HostChannel then posts to the host's origin alone.
import { EVENT_TYPES } from "./chat-adapter.js";
import { StartChatError } from "./start-chat-api.js";

/** @typedef {import("./host-channel.js").ChatEvent} ChatEvent */

/**
 * The event a new transcript item raises, or null: visitor, agent and bot messages and
 * attachments, and an agent joining.
 * @param {import("./chat-adapter.js").ChatItem} item
 * @param {boolean} includeText
 * @returns {ChatEvent|null}
 */
export function itemEvent(item, includeText) {
  if (item.kind === "event") {
    if (item.contentType === EVENT_TYPES.joined && item.participantRole === "AGENT") {
      return { name: "agentJoined", payload: { displayName: item.displayName } };
    }
    return null;
  }
  if (item.kind !== "message" && item.kind !== "attachment") return null;
  /** @type {{role: string, contentType: string, text?: string}} */
  const payload = { role: item.role, contentType: item.contentType };
  if (includeText && item.kind === "message") payload.text = item.content;
  return { name: "message", payload };
}

/**
 * A stable code for a failed start: what analytics count, never the server's words.
 * @param {unknown} error
 */
export function startErrorCode(error) {
  if (!(error instanceof StartChatError)) return "connect_failed";
  if (error.status === 429) return "rate_limited";
  if (error.status === 403) return "forbidden";
  if (error.status === 400) return "invalid_request";
  return "start_failed";
}
