// The one module that talks to ChatJS. The UI sees plain ChatItems and a few verbs; ChatJS is
// loaded on demand as its own hashed asset so the pre-chat form does not wait for it.
import { INTERACTIVE_RESPONSE, TEXT_PLAIN } from "./start-chat-request.js";

export const EVENT_TYPES = Object.freeze({
  typing: "application/vnd.amazonaws.connect.event.typing",
  read: "application/vnd.amazonaws.connect.event.message.read",
  delivered: "application/vnd.amazonaws.connect.event.message.delivered",
  joined: "application/vnd.amazonaws.connect.event.participant.joined",
  left: "application/vnd.amazonaws.connect.event.participant.left",
  ended: "application/vnd.amazonaws.connect.event.chat.ended",
  transferSucceeded: "application/vnd.amazonaws.connect.event.transfer.succeeded",
  transferFailed: "application/vnd.amazonaws.connect.event.transfer.failed",
  idle: "application/vnd.amazonaws.connect.event.participant.idle",
  returned: "application/vnd.amazonaws.connect.event.participant.returned",
  autoDisconnection: "application/vnd.amazonaws.connect.event.participant.autodisconnection",
});

/**
 * A transcript item or websocket message as Connect sends it. Wider than ChatJS's own
 * `connect.ChatTranscriptItem`: Connect also sends `MESSAGEMETADATA` items, `CUSTOM_BOT` and
 * `SUPERVISOR` roles and receipts, which its index.d.ts does not list.
 * @typedef {object} ParticipantItem
 * @property {string} [Id]
 * @property {string} [Type]
 * @property {string} [ContentType]
 * @property {string} [Content]
 * @property {string} [ParticipantRole]
 * @property {string} [DisplayName]
 * @property {string} [AbsoluteTime]
 * @property {{AttachmentId: string, AttachmentName?: string, ContentType?: string, Status?: string}[]} [Attachments]
 * @property {{MessageId?: string, Receipts?: {ReadTimestamp?: string, DeliveredTimestamp?: string}[],
 *   ChunkNumber?: number, MessageCompleted?: boolean}} [MessageMetadata]
 */

/** @typedef {{messageId: string, read: boolean, delivered: boolean}} Receipt */
/** @typedef {{id: string, name: string, contentType: string, status: string, size?: number}} ChatAttachment */

/**
 * What the UI sees of a transcript item: never a ChatJS object.
 * @typedef {object} ChatItem
 * @property {string} id
 * @property {"message"|"attachment"|"event"|"receipt"|"typing"} kind
 * @property {"customer"|"agent"|"system"} role
 * @property {string} participantRole
 * @property {string} displayName
 * @property {Date} time
 * @property {string} contentType
 * @property {string} content
 * @property {ChatAttachment[]} attachments
 * @property {Receipt|null} receipt
 * @property {boolean} [streaming] a streamed bot answer still growing (more chunks to come)
 */

/** What StartChatContact returned (or the session store saved) for one participant. */
/** @typedef {{ContactId: string, ParticipantId: string, ParticipantToken: string}} ChatDetails */

/**
 * The adapter's events and the value each one carries.
 * @typedef {{item: ChatItem, typing: ChatItem, receipt: Receipt, connection: "lost"|"established", ended: undefined}} ChatAdapterEvents
 */

/** What a send resolves to: the transcript item's id and time, when the service says them. */
/** @typedef {{data?: {Id?: string, AbsoluteTime?: string}} | undefined} SentItem */

/**
 * The ChatJS adapter's interface: all the UI may do with a chat connection. ChatAdapter
 * implements it over ChatJS; the UI's tests implement it with a fake.
 * @typedef {object} ChatTransport
 * @property {<E extends keyof ChatAdapterEvents>(event: E, handler: (value: ChatAdapterEvents[E]) => void) => void} on
 * @property {(chatDetails: ChatDetails) => Promise<unknown>} connect
 * @property {() => Promise<ChatItem[]>} loadTranscript
 * @property {(text: string, contentType?: connect.ChatMessageContentType) => Promise<SentItem>} sendText
 * @property {(json: string) => Promise<SentItem>} sendInteractiveResponse
 * @property {(file: File) => Promise<unknown>} sendAttachment
 * @property {(attachmentId: string) => Promise<Blob>} downloadAttachment
 * @property {() => Promise<unknown>} sendTyping
 * @property {(messageId: string) => Promise<unknown>} sendDelivered
 * @property {(messageId: string) => Promise<unknown>} sendRead
 * @property {(options?: {awaitServerEnd?: boolean}) => Promise<void>} end
 */

/** @type {Record<string, "customer"|"agent">} */
const ROLE_BY_PARTICIPANT = {
  CUSTOMER: "customer",
  AGENT: "agent",
  CUSTOM_BOT: "agent",
  SUPERVISOR: "agent",
};

/**
 * A transcript item or websocket message (ChatJS `data`) → ChatItem:
 * {id, kind: "message"|"attachment"|"event"|"receipt"|"typing", role, displayName, time,
 *  contentType, content, attachments, receipt}
 * @param {ParticipantItem} data
 * @returns {ChatItem}
 */
export function toChatItem(data) {
  const type = data.Type;
  const contentType = data.ContentType ?? "";
  const base = {
    id: data.Id ?? "",
    role: /** @type {ChatItem["role"]} */ (
      ROLE_BY_PARTICIPANT[data.ParticipantRole ?? ""] ?? "system"
    ),
    participantRole: data.ParticipantRole ?? "",
    displayName: data.DisplayName ?? "",
    time: data.AbsoluteTime ? new Date(data.AbsoluteTime) : new Date(),
    contentType,
    content: data.Content ?? "",
    attachments: [],
    receipt: null,
  };
  if (
    type === "MESSAGEMETADATA" ||
    contentType === EVENT_TYPES.read ||
    contentType === EVENT_TYPES.delivered
  ) {
    return { ...base, kind: "receipt", receipt: readReceipt(data) };
  }
  if (contentType === EVENT_TYPES.typing) return { ...base, kind: "typing" };
  if (type === "ATTACHMENT") {
    return {
      ...base,
      kind: "attachment",
      attachments: (data.Attachments ?? []).map((a) => ({
        id: a.AttachmentId,
        name: a.AttachmentName ?? "attachment",
        contentType: a.ContentType ?? "",
        status: a.Status ?? "APPROVED",
      })),
    };
  }
  if (type === "EVENT" || contentType.startsWith("application/vnd.amazonaws.connect.event.")) {
    return { ...base, kind: "event", role: "system" };
  }
  // A Lex bot streaming through Connect: ChatJS 5 re-delivers the message under the same Id
  // with the chunks so far stitched together, until MessageCompleted is true.
  const streaming =
    data.ParticipantRole === "SYSTEM" && data.MessageMetadata?.MessageCompleted === false;
  return { ...base, kind: "message", streaming };
}

/**
 * @param {ParticipantItem} data
 * @returns {Receipt|null}
 */
function readReceipt(data) {
  const metadata = data.MessageMetadata;
  if (metadata && metadata.MessageId) {
    const receipts = metadata.Receipts ?? [];
    return {
      messageId: metadata.MessageId,
      read: receipts.some((r) => r.ReadTimestamp),
      delivered: receipts.some((r) => r.DeliveredTimestamp || r.ReadTimestamp),
    };
  }
  try {
    const { messageId } = JSON.parse(data.Content ?? "{}");
    const read = data.ContentType === EVENT_TYPES.read;
    return messageId ? { messageId, read, delivered: true } : null;
  } catch {
    return null;
  }
}

export const RECONNECT_DELAYS_MS = [1000, 2000, 5000, 10000, 30000];

/** @param {any} error whatever ChatJS rejected with: its shape differs between releases */
function isAccessDenied(error) {
  const status =
    error?.statusCode ??
    error?._debug?.statusCode ??
    error?.$metadata?.httpStatusCode ??
    error?._debug?.$metadata?.httpStatusCode;
  return (
    status === 403 ||
    error?.name === "AccessDeniedException" ||
    error?._debug?.name === "AccessDeniedException"
  );
}

/** @returns {Promise<typeof connect>} */
export async function loadChatJs() {
  await import("amazon-connect-chatjs");
  return globalThis.connect;
}

/** @implements {ChatTransport} */
export class ChatAdapter {
  /**
   * @param {{region: string, participantEndpoint?: string|null}} config
   * @param {() => Promise<typeof connect>} loadConnect resolves to the global `connect` ChatJS defines
   */
  constructor(config, loadConnect = loadChatJs) {
    this.config = config;
    this.loadConnect = loadConnect;
    /** @type {typeof connect | null} */
    this.chatJs = null;
    /** @type {connect.CustomerChatSession | null} */
    this.session = null;
    /** @type {Map<keyof ChatAdapterEvents, ((value: any) => void)[]>} */
    this.listeners = new Map();
    /** @type {ChatDetails | null} */
    this.chatDetails = null;
    this.ended = false;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.reconnectTimer = null;
    this.reconnectAttempt = 0;
  }

  /**
   * @template {keyof ChatAdapterEvents} E
   * @param {E} event
   * @param {(value: ChatAdapterEvents[E]) => void} handler
   */
  on(event, handler) {
    const handlers = this.listeners.get(event) ?? [];
    handlers.push(handler);
    this.listeners.set(event, handlers);
  }

  /**
   * @template {keyof ChatAdapterEvents} E
   * @param {E} event
   * @param {ChatAdapterEvents[E]} [value]
   */
  emit(event, value) {
    for (const handler of this.listeners.get(event) ?? []) handler(value);
  }

  /**
   * Creates the ChatJS session for a started (or saved) chat and opens its websocket.
   * @param {ChatDetails} chatDetails
   */
  async connect(chatDetails) {
    this.chatJs = await this.loadConnect();
    /** @type {connect.ChatGlobalConfig & {endpoint?: string}} */
    const globalConfig = {
      region: this.config.region,
      loggerConfig: { useDefaultLogger: false },
      // ChatJS sends the delivered/read receipts itself when asked to, throttled.
      features: { messageReceipts: { shouldSendMessageReceipts: true, throttleTime: 1000 } },
    };
    // ChatJS caches its Participant Service client per region at the first create(), so the
    // local emulator's endpoint must be set before it.
    const chatJs = this.chatJs;
    chatJs.ChatSession.setGlobalConfig(
      this.config.participantEndpoint
        ? { ...globalConfig, endpoint: this.config.participantEndpoint }
        : globalConfig,
    );
    this.chatDetails = chatDetails;
    return this.openSession();
  }

  /**
   * One ChatJS session per connection: ChatJS ignores a second connect() on a session, so a
   * broken connection is replaced by a new session with the same participant token (what a
   * page reload does). Events of a replaced session are ignored.
   */
  async openSession() {
    if (!this.chatJs || !this.chatDetails) throw new Error("openSession() before connect()");
    const { ChatSession } = this.chatJs;
    const chatDetails = this.chatDetails;
    const session = ChatSession.create({
      chatDetails: {
        contactId: chatDetails.ContactId,
        participantId: chatDetails.ParticipantId,
        participantToken: chatDetails.ParticipantToken,
      },
      options: { region: this.config.region },
      type: ChatSession.SessionTypes?.CUSTOMER ?? "CUSTOMER",
      disableCSM: true,
    });
    this.session = session;
    /** @type {<T>(handler: (event: T) => void) => (event: T) => void} */
    const current = (handler) => (event) => {
      if (this.session === session) handler(event);
    };
    const forward = current((/** @type {{data?: ParticipantItem}} */ event) =>
      this.dispatch(event.data),
    );
    session.onMessage(forward);
    session.onTyping(forward);
    session.onReadReceipt(forward);
    session.onDeliveredReceipt(forward);
    session.onEnded(current(() => this.finish()));
    // "Lost" is a drop ChatJS recovers from by itself; "broken" means its websocket manager
    // gave up (e.g. offline for long) and this session will not come back.
    session.onConnectionBroken(
      current(() => {
        this.emit("connection", "lost");
        this.scheduleReconnect();
      }),
    );
    session.onConnectionLost?.(current(() => this.emit("connection", "lost")));
    session.onDeepHeartbeatFailure?.(current(() => this.emit("connection", "lost")));
    session.onConnectionEstablished(
      current(() => {
        this.reconnectAttempt = 0;
        this.emit("connection", "established");
      }),
    );
    const result = await session.connect();
    if (result && result.connectSuccess === false) throw new Error("Could not connect to the chat");
    return result;
  }

  finish() {
    if (this.ended) return;
    this.ended = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.emit("ended");
  }

  scheduleReconnect() {
    if (this.ended || this.reconnectTimer) return;
    const attempt = (this.reconnectAttempt += 1);
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length) - 1];
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      if (this.ended) return;
      try {
        await this.openSession();
      } catch (error) {
        // A refused participant means the chat ended while we were away.
        if (isAccessDenied(error)) this.finish();
        else this.scheduleReconnect();
      }
    }, delay);
  }

  /** @param {ParticipantItem | undefined} data */
  dispatch(data) {
    if (!data) return;
    const item = toChatItem(data);
    if (item.kind === "receipt") {
      if (item.receipt) this.emit("receipt", item.receipt);
    } else if (item.kind === "typing") {
      if (item.role !== "customer") this.emit("typing", item);
    } else {
      this.emit("item", item);
    }
  }

  /** @returns {connect.CustomerChatSession} */
  requireSession() {
    if (!this.session) throw new Error("no chat session: connect() first");
    return this.session;
  }

  /**
   * Whole transcript of the contact (ChatJS pages through 15 at a time).
   * @returns {Promise<ChatItem[]>}
   */
  async loadTranscript() {
    /** @type {ChatItem[]} */
    const items = [];
    /** @type {string | undefined} */
    let nextToken;
    for (let page = 0; page < 20; page++) {
      const response = await this.requireSession().getTranscript({
        scanDirection: "BACKWARD",
        sortOrder: "ASCENDING",
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      });
      /** @type {{Transcript?: ParticipantItem[], NextToken?: string}} */
      const data = response?.data || {};
      items.unshift(...(data.Transcript ?? []).map(toChatItem));
      nextToken = data.NextToken;
      if (!nextToken) break;
    }
    return items.filter((item) => item.kind !== "typing");
  }

  /**
   * @param {string} text
   * @param {connect.ChatMessageContentType} [contentType]
   * @returns {Promise<SentItem>} ChatJS types its `data` as possibly void; it is the item or absent
   */
  sendText(text, contentType = TEXT_PLAIN) {
    return /** @type {Promise<SentItem>} */ (
      this.requireSession().sendMessage({ message: text, contentType })
    );
  }

  /**
   * @param {string} json
   * @returns {Promise<SentItem>}
   */
  sendInteractiveResponse(json) {
    return /** @type {Promise<SentItem>} */ (
      this.requireSession().sendMessage({ message: json, contentType: INTERACTIVE_RESPONSE })
    );
  }

  sendTyping() {
    return this.requireSession().sendEvent({ contentType: EVENT_TYPES.typing });
  }

  /** @param {string} messageId */
  sendDelivered(messageId) {
    return this.requireSession().sendEvent({
      contentType: EVENT_TYPES.delivered,
      content: JSON.stringify({ messageId }),
    });
  }

  /** @param {string} messageId */
  sendRead(messageId) {
    return this.requireSession().sendEvent({
      contentType: EVENT_TYPES.read,
      content: JSON.stringify({ messageId }),
    });
  }

  /** @param {File} file */
  sendAttachment(file) {
    return this.requireSession().sendAttachment({ attachment: file });
  }

  /** @param {string} attachmentId */
  downloadAttachment(attachmentId) {
    return this.requireSession().downloadAttachment({ attachmentId });
  }

  /**
   * Leaves the chat. With `awaitServerEnd` (the post-chat survey) the connection stays open:
   * ChatJS 4+ keeps its websocket after disconnectParticipant until Connect sends
   * chat.ended, so the flow's disconnect branch can still talk to the visitor.
   * @param {{awaitServerEnd?: boolean}} [options]
   */
  async end({ awaitServerEnd = false } = {}) {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (!this.session) return;
    if (awaitServerEnd) {
      await this.session.disconnectParticipant();
      return;
    }
    try {
      await this.session.disconnectParticipant();
    } finally {
      this.finish();
    }
  }
}
