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

const ROLE_BY_PARTICIPANT = { CUSTOMER: "customer", AGENT: "agent", CUSTOM_BOT: "agent", SUPERVISOR: "agent" };

/**
 * A transcript item or websocket message (ChatJS `data`) → ChatItem:
 * {id, kind: "message"|"attachment"|"event"|"receipt"|"typing", role, displayName, time,
 *  contentType, content, attachments, receipt}
 */
export function toChatItem(data) {
  const type = data.Type;
  const contentType = data.ContentType ?? "";
  const base = {
    id: data.Id ?? "",
    role: ROLE_BY_PARTICIPANT[data.ParticipantRole] ?? "system",
    participantRole: data.ParticipantRole ?? "",
    displayName: data.DisplayName ?? "",
    time: data.AbsoluteTime ? new Date(data.AbsoluteTime) : new Date(),
    contentType,
    content: data.Content ?? "",
    attachments: [],
    receipt: null,
  };
  if (type === "MESSAGEMETADATA" || contentType === EVENT_TYPES.read || contentType === EVENT_TYPES.delivered) {
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
  return { ...base, kind: "message" };
}

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

function isAccessDenied(error) {
  const status = error?.statusCode ?? error?._debug?.statusCode ?? error?.$metadata?.httpStatusCode ?? error?._debug?.$metadata?.httpStatusCode;
  return status === 403 || error?.name === "AccessDeniedException" || error?._debug?.name === "AccessDeniedException";
}

export async function loadChatJs() {
  await import("amazon-connect-chatjs");
  return globalThis.connect;
}

export class ChatAdapter {
  /**
   * @param {{region: string, participantEndpoint: string|null}} config
   * @param {() => Promise<any>} loadConnect resolves to the global `connect` ChatJS defines
   */
  constructor(config, loadConnect = loadChatJs) {
    this.config = config;
    this.loadConnect = loadConnect;
    this.session = null;
    this.listeners = new Map();
    this.chatDetails = null;
  }

  on(event, handler) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(handler);
  }

  emit(event, value) {
    for (const handler of this.listeners.get(event) ?? []) handler(value);
  }

  /** Creates the ChatJS session for a started (or saved) chat and opens its websocket. */
  async connect(chatDetails) {
    this.chatJs = await this.loadConnect();
    const globalConfig = {
      region: this.config.region,
      loggerConfig: { useDefaultLogger: false },
      // ChatJS sends the delivered/read receipts itself when asked to, throttled.
      features: { messageReceipts: { shouldSendMessageReceipts: true, throttleTime: 1000 } },
    };
    // ChatJS caches its Participant Service client per region at the first create(), so the
    // local emulator's endpoint must be set before it.
    if (this.config.participantEndpoint) globalConfig.endpoint = this.config.participantEndpoint;
    this.chatJs.ChatSession.setGlobalConfig(globalConfig);
    this.chatDetails = chatDetails;
    return this.openSession();
  }

  /**
   * One ChatJS session per connection: ChatJS ignores a second connect() on a session, so a
   * broken connection is replaced by a new session with the same participant token (what a
   * page reload does). Events of a replaced session are ignored.
   */
  async openSession() {
    const { ChatSession } = this.chatJs;
    const session = ChatSession.create({
      chatDetails: {
        contactId: this.chatDetails.ContactId,
        participantId: this.chatDetails.ParticipantId,
        participantToken: this.chatDetails.ParticipantToken,
      },
      options: { region: this.config.region },
      type: ChatSession.SessionTypes?.CUSTOMER ?? "CUSTOMER",
      disableCSM: true,
    });
    this.session = session;
    const current = (handler) => (event) => {
      if (this.session === session) handler(event);
    };
    const forward = current((event) => this.dispatch(event.data));
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
    clearTimeout(this.reconnectTimer);
    this.emit("ended");
  }

  scheduleReconnect() {
    if (this.ended || this.reconnectTimer) return;
    const attempt = (this.reconnectAttempt = (this.reconnectAttempt ?? 0) + 1);
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

  /** Whole transcript of the contact (ChatJS pages through 15 at a time). */
  async loadTranscript() {
    const items = [];
    let nextToken;
    for (let page = 0; page < 20; page++) {
      const response = await this.session.getTranscript({
        scanDirection: "BACKWARD",
        sortOrder: "ASCENDING",
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      });
      const data = response?.data ?? {};
      items.unshift(...(data.Transcript ?? []).map(toChatItem));
      nextToken = data.NextToken;
      if (!nextToken) break;
    }
    return items.filter((item) => item.kind !== "typing");
  }

  sendText(text, contentType = TEXT_PLAIN) {
    return this.session.sendMessage({ message: text, contentType });
  }

  sendInteractiveResponse(json) {
    return this.session.sendMessage({ message: json, contentType: INTERACTIVE_RESPONSE });
  }

  sendTyping() {
    return this.session.sendEvent({ contentType: EVENT_TYPES.typing });
  }

  sendDelivered(messageId) {
    return this.session.sendEvent({
      contentType: EVENT_TYPES.delivered,
      content: JSON.stringify({ messageId }),
    });
  }

  sendRead(messageId) {
    return this.session.sendEvent({
      contentType: EVENT_TYPES.read,
      content: JSON.stringify({ messageId }),
    });
  }

  sendAttachment(file) {
    return this.session.sendAttachment({ attachment: file });
  }

  downloadAttachment(attachmentId) {
    return this.session.downloadAttachment({ attachmentId });
  }

  async end() {
    clearTimeout(this.reconnectTimer);
    if (!this.session) return;
    try {
      await this.session.disconnectParticipant();
    } finally {
      this.finish();
    }
  }
}
