// Orchestrates the chat UI: pre-chat form → start → conversation → ended, plus resume after a
// reload and continuation of the previous chat. Talks to ChatJS only through ChatAdapter.
import { applyDocumentLanguage, localize, localizeAttribute, relocalize } from "../i18n/dom.js";
import { chooseLanguage, currentLanguage, loadLocale, t } from "../i18n/index.js";
import { attachmentProblem } from "./attachments.js";
import { firstFontFamily } from "./branding.js";
import { bindHostCommands } from "./host-commands.js";
import { itemEvent, startErrorCode } from "./host-events.js";
import { buildInteractiveResponse, formatTimeslot } from "./interactive.js";
import {
  INVALID_CUSTOMER_TOKEN,
  PERSISTENT_CHAT_NOT_AUTHORIZED,
  StartChatError,
  postStartChat,
} from "./start-chat-api.js";
import {
  StartChatInputError,
  buildStartChatRequest,
  INTERACTIVE_RESPONSE,
  TEXT_MARKDOWN,
  TEXT_PLAIN,
} from "./start-chat-request.js";
import { applyTheme } from "./theme.js";
import { renderComposer } from "./ui/composer.js";
import { confirmEndChat } from "./ui/end-confirmation.js";
import { el } from "./ui/element.js";
import { renderLayout } from "./ui/layout.js";
import { renderPreChatForm, setPreChatBusy } from "./ui/prechat-form.js";

const TYPING_VISIBLE_MS = 12000;
export const CATCH_UP_DELAYS_MS = [0, 1500, 4000];
// How long a start waits for the host page's customer-token callback.
export const CUSTOMER_TOKEN_WAIT_MS = 10_000;

export function loadConversationView() {
  return import("./ui/message-list.js");
}

/**
 * The chat on screen: what StartChatContact returned and what the session store keeps.
 * resumeToken is the API's token for continuing the chat's series (absent when it gave none).
 * @typedef {{contactId: string, participantId: string, participantToken: string,
 *   displayName: string, attachments?: boolean, resumeToken?: string}} ActiveChat
 */

/**
 * Saves a blob under `name`. Always as octet-stream: `download` is only a hint, and a browser
 * that opened an HTML or SVG blob instead would run it as a page of the chat's origin, beside
 * the participant token. Octet-stream is only ever saved.
 * @param {Blob} blob
 * @param {string} name
 */
function saveFile(blob, name) {
  const url = URL.createObjectURL(new Blob([blob], { type: "application/octet-stream" }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export class ChatApp {
  // Set by boot() and renderConversation(), before anything reads them.
  /** @type {ReturnType<typeof renderLayout>} */
  ui;
  /** @type {HTMLFormElement} */
  form;
  /** @type {import("./ui/message-list.js").MessageList} */
  messages;
  /** @type {ReturnType<typeof renderComposer>} */
  composer;
  /** @type {HTMLElement} */
  typing;
  /** Agent messages already acknowledged, and those to mark read once the page is visible. */
  acknowledged = new Set();
  unread = new Set();
  /** @type {ReturnType<typeof setTimeout>[]} */
  catchUpTimers = [];
  /** @type {HTMLElement | null} the survey's "you've left" note, while the flow runs */
  surveyNote = null;
  /** @type {"customer"|"host"|null} who left, while the survey flow runs */
  surveyEndReason = null;
  /** Items already reported to the host, so a re-read transcript raises no event twice. */
  reported = new Set();
  /**
   * While a resumed chat's history is re-read, items up to this server time (ms) are old news
   * for the host: the previous page reported them. Infinity when that page left no mark.
   */
  replayedUntil = 0;
  /** Whether the host asked for message text in its `message` events. */
  includeText = false;
  /**
   * Whether the visitor can see the chat. Embedded, the frame starts hidden (the loader may
   * create it minimised) until the loader says "open": a minimised chat's messages stay unread
   * for the agent, as they do on the launcher's badge.
   */
  shown = true;

  /**
   * @param {object} deps
   * @param {HTMLElement} deps.root
   * @param {import("./config.js").WidgetConfig} deps.config validated config.json
   * @param {import("./session-store.js").SessionStore} deps.store
   * @param {() => import("./chat-adapter.js").ChatTransport} deps.createAdapter
   * @param {import("./host-channel.js").HostLink} deps.host
   * @param {typeof fetch} [deps.fetch]
   */
  constructor({
    root,
    config,
    store,
    createAdapter,
    host,
    fetch: fetchImpl = globalThis.fetch?.bind(globalThis),
  }) {
    this.root = root;
    this.config = config;
    this.store = store;
    this.createAdapter = createAdapter;
    this.host = host;
    this.fetch = fetchImpl;
    this.hostDisplayName = "";
    this.shown = !host.embedded;
    this.hostAttributes = {};
    this.state = "idle";
    /** @type {import("./chat-adapter.js").ChatTransport | null} */
    this.adapter = null;
    /** @type {ActiveChat | null} */
    this.active = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.typingTimer = undefined;
    this.connectionLost = false;
    /** @type {string|null} the signed-in customer's JWT from the host page (null: anonymous) */
    this.customerToken = null;
    this.hasTokenProvider = false;
    /** @type {Map<string, (token: string|null) => void>} customerTokenRequests awaiting the host */
    this.tokenRequests = new Map();
  }

  async boot() {
    await this.useLanguage(
      chooseLanguage({
        stack: this.config.language,
        browser: globalThis.navigator?.languages ?? [],
      }),
    );
    this.ui = renderLayout(this.root, {
      title: this.config.theme.title,
      embedded: this.host.embedded,
    });
    document.title = this.config.theme.title;
    this.displayNames = { ...this.config.theme.displayNames };
    this.brand(this.config.theme);
    this.ui.minimise?.addEventListener("click", () => this.host.send("close"));
    // On the document, not the app element: after a click on empty space focus sits on <body>.
    this.root.ownerDocument.addEventListener("keydown", (event) => {
      // Escape in the End chat dialog only closes the dialog.
      if (event.key === "Escape" && this.host.embedded && !this.root.querySelector("dialog"))
        this.host.send("close");
    });
    this.bindHost();
    globalThis.addEventListener?.("offline", () => this.showBanner("banner.offline"));
    globalThis.addEventListener?.("online", () => {
      if (!this.connectionLost) this.hideBanner();
    });
    document.addEventListener("visibilitychange", () => this.markVisibleAsRead());
    const saved = this.store.loadActive({ maxAgeMs: this.config.chatDurationInMinutes * 60_000 });
    if (saved) {
      await this.resume(saved);
    } else {
      this.showPreChat();
    }
    const { position, width, height, primaryColor } = this.config.theme;
    this.host.send("ready", {
      active: this.state === "chat",
      layout: { position, width, height, primaryColor },
    });
  }

  /**
   * Colour, logo, font and display names, from config.json and then the host's theme.
   * @param {Partial<import("./config.js").Theme>} theme
   */
  brand({ primaryColor, logo, fontFamily, fontUrl, displayNames }) {
    const root = document.documentElement;
    if (primaryColor) applyTheme(root, { primaryColor });
    if (logo) this.ui.setLogo(logo);
    if (fontFamily) {
      // FontFace goes through the CSSOM and font-src 'self': only a file shipped with the site.
      if (fontUrl && typeof FontFace === "function") {
        const face = new FontFace(
          firstFontFamily(fontFamily),
          `url(${JSON.stringify(new URL(fontUrl, location.href).href)})`,
        );
        document.fonts?.add(face);
        face.load().catch(() => {});
      }
      root.style.setProperty("--font", fontFamily);
    }
    if (displayNames) {
      this.displayNames = { ...this.displayNames, ...displayNames };
      this.messages?.setDisplayNames(this.displayNames);
    }
  }

  /**
   * Tells the embedding page (host-api.js's ConnectChat("on") listeners).
   * @param {import("./host-channel.js").ChatEvent} event
   */
  hostEvent(event) {
    this.host.send("event", event);
  }

  bindHost() {
    bindHostCommands(this.host, {
      open: () => {
        this.shown = true;
        this.markVisibleAsRead();
        this.focusFirst();
      },
      close: () => {
        this.shown = false;
      },
      setDisplayName: (name) => {
        this.hostDisplayName = name;
        const input = /** @type {HTMLInputElement | null} */ (
          this.root.querySelector("#prechat-name")
        );
        if (input && !input.value) input.value = name;
      },
      setAttributes: (attributes) => {
        this.hostAttributes = { ...this.hostAttributes, ...attributes };
      },
      setLanguage: (code) => {
        // The host's choice outranks the stack's and the browser's. A locale that cannot be
        // fetched leaves the page in the language it has.
        loadLocale(code)
          .then(() => {
            applyDocumentLanguage(this.root.ownerDocument);
            relocalize(this.root);
          })
          .catch(() => {});
      },
      theme: (theme) => {
        this.brand(theme);
        if (theme.title) this.ui.heading.textContent = theme.title;
      },
      endChat: () => void this.endChat("host"),
      includeText: (include) => {
        this.includeText = include;
      },
      setCustomerToken: (token) => {
        this.customerToken = token;
      },
      customerTokenProvider: (present) => {
        this.hasTokenProvider = present;
      },
      customerToken: (id, token) => {
        this.tokenRequests.get(id)?.(token);
      },
    });
    this.host.start();
  }

  /**
   * Downloads the locale before anything is drawn (English if that one fails) and points
   * <html lang dir> at it.
   * @param {string} code
   */
  async useLanguage(code) {
    try {
      await loadLocale(code);
    } catch {
      await loadLocale("en");
    }
    applyDocumentLanguage(this.root.ownerDocument);
  }

  focusFirst() {
    const target =
      this.root.querySelector("#prechat-name") ??
      this.root.querySelector("#composer-message:not([disabled])") ??
      this.root.querySelector(".view button");
    if (!(target instanceof HTMLElement)) return;
    target.focus();
  }

  showError(text) {
    this.ui.error.textContent = text ?? "";
  }

  /** @param {import("../i18n/index.js").MessageKey} key */
  showBanner(key) {
    localize(this.ui.banner, key);
    this.ui.banner.hidden = false;
  }

  /** A lasting line at the top of the conversation (the banner is for connection status). */
  showNotice(text) {
    const notice = el(
      "li",
      { className: "message system", "data-role": "system", "data-testid": "chat-notice" },
      el("span", { className: "body" }, text),
    );
    // Time 0: transcript items, inserted in time order, always land after it.
    notice.dataset.time = "0";
    this.messages.list.prepend(notice);
  }

  hideBanner() {
    this.ui.banner.hidden = true;
    this.ui.banner.textContent = "";
    delete this.ui.banner.dataset.i18n;
  }

  /** The saved chat a new one may continue, while it is fresh (persistentChat.offerForMinutes). */
  freshPrevious() {
    return this.store.loadPrevious({
      maxAgeMs: this.config.persistentChat.offerForMinutes * 60_000,
    });
  }

  showPreChat(notice = "") {
    this.state = "prechat";
    const previous = this.freshPrevious();
    this.form = renderPreChatForm({
      fields: this.config.preChatFields,
      displayName: this.hostDisplayName || previous?.displayName || "",
      attributes: this.hostAttributes,
      previous,
      persistentChat: this.config.features.persistentChat,
      onSubmit: (input) => this.start(input),
      onForget: () => this.forgetMe(),
    });
    this.ui.view.replaceChildren(this.form);
    this.showError(notice);
  }

  /**
   * "Forget me on this device": removes every saved name, chat and token, and takes the last
   * transcript off the screen, for the next person at a shared computer.
   */
  forgetMe() {
    this.store.forgetAll();
    this.active = null;
    this.adapter = null;
    this.showPreChat(t("notice.forgotten"));
    this.focusFirst();
  }

  async start({ displayName, attributes, continuePrevious }) {
    if (this.state === "starting") return;
    this.showError("");
    let request;
    try {
      request = buildStartChatRequest({
        displayName,
        attributes: { ...this.hostAttributes, ...attributes },
        config: this.config,
        resumeToken: continuePrevious ? (this.freshPrevious()?.resumeToken ?? null) : null,
      });
    } catch (error) {
      if (error instanceof StartChatInputError) {
        this.showError(error.message);
        return;
      }
      throw error;
    }
    this.state = "starting";
    setPreChatBusy(this.form, true);
    try {
      const { chatDetails, featurePermissions, resumeToken, startedFresh } =
        await this.postStart(request);
      const active = {
        contactId: chatDetails.ContactId,
        participantId: chatDetails.ParticipantId,
        participantToken: chatDetails.ParticipantToken,
        displayName: request.ParticipantDetails.DisplayName,
        attachments: this.config.features.attachments && featurePermissions.ATTACHMENTS !== false,
        ...(resumeToken ? { resumeToken } : {}),
      };
      this.store.saveActive(active);
      await this.enterChat(active, { resumed: false });
      if (startedFresh) this.showNotice(t("notice.freshStart"));
    } catch (error) {
      this.state = "prechat";
      if (!(error instanceof StartChatError)) this.store.finish(null);
      // Keep what the visitor typed: put the same form back.
      if (!this.form.isConnected) this.ui.view.replaceChildren(this.form);
      setPreChatBusy(this.form, false);
      this.showError(error instanceof StartChatError ? error.message : t("error.connectFailed"));
      this.hostEvent({ name: "error", payload: { code: startErrorCode(error) } });
    }
  }

  /**
   * POSTs the start, with the host's customer token when it gave one. A 401 asks the host for
   * a new token once; a refused continuation (an expired resume token, say) becomes a new chat.
   * @param {ReturnType<typeof buildStartChatRequest>} request
   */
  async postStart(request) {
    let token = this.hasTokenProvider ? await this.requestCustomerToken() : this.customerToken;
    let askedAgain = false;
    let startedFresh = false;
    for (;;) {
      try {
        const started = await postStartChat(this.config.apiEndpoint, request, this.fetch, {
          customerToken: token,
        });
        return { ...started, startedFresh };
      } catch (error) {
        if (!(error instanceof StartChatError)) throw error;
        if (error.code === INVALID_CUSTOMER_TOKEN && !askedAgain) {
          askedAgain = true;
          const fresh = await this.requestCustomerToken();
          if (!fresh || fresh === token) throw error;
          token = fresh;
        } else if (error.code === PERSISTENT_CHAT_NOT_AUTHORIZED && request.PersistentChat) {
          this.store.forgetPrevious();
          delete request.PersistentChat;
          startedFresh = true;
        } else {
          throw error;
        }
      }
    }
  }

  /**
   * Asks the host page (widget.js calls its callback) for a customer token; null if none.
   * @returns {Promise<string|null>}
   */
  requestCustomerToken() {
    if (!this.host.embedded) return Promise.resolve(this.customerToken);
    const id = globalThis.crypto.randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(null), CUSTOMER_TOKEN_WAIT_MS);
      const answer = (token) => {
        clearTimeout(timer);
        this.tokenRequests.delete(id);
        if (token) this.customerToken = token;
        resolve(token ?? this.customerToken);
      };
      this.tokenRequests.set(id, answer);
      this.host.send("customerTokenRequest", { id });
    });
  }

  async resume(saved) {
    try {
      await this.enterChat(saved, { resumed: true });
    } catch {
      this.store.finish(saved);
      this.showPreChat(t("error.resumeFailed"));
    }
  }

  /**
   * @param {ActiveChat} active
   * @param {{resumed: boolean}} how a resumed chat (the next page) is not news for the host
   */
  async enterChat(active, { resumed }) {
    this.active = active;
    const adapter = this.createAdapter();
    this.adapter = adapter;
    // The conversation view (with marked and DOMPurify) is its own chunk: the pre-chat form
    // does not wait for it. main.js warms it while the visitor types.
    const { MessageList } = await loadConversationView();
    this.renderConversation(active, MessageList);
    adapter.on("item", (item) => this.onItem(item));
    adapter.on("typing", (item) => this.onTyping(item));
    adapter.on("receipt", (receipt) => this.messages.applyReceipt(receipt));
    adapter.on("ended", () => this.onEnded("connect"));
    adapter.on("connection", (status) => this.onConnection(status));
    this.composer.setEnabled(false);
    this.state = "connecting";
    await adapter.connect({
      ContactId: active.contactId,
      ParticipantId: active.participantId,
      ParticipantToken: active.participantToken,
    });
    this.state = "chat";
    this.composer.setEnabled(true);
    this.host.send("active", true);
    if (!resumed) this.hostEvent({ name: "chatStarted", payload: { contactId: active.contactId } });
    this.replayedUntil = resumed ? this.store.loadReported() || Number.POSITIVE_INFINITY : 0;
    try {
      await this.refreshTranscript();
    } finally {
      this.replayedUntil = 0;
    }
    this.focusFirst();
  }

  async refreshTranscript() {
    try {
      const items = await this.chat().loadTranscript();
      for (const item of items) {
        if (item.kind === "receipt") continue;
        this.onItem(item, { fromTranscript: true });
      }
    } catch {
      // The live websocket still delivers new messages; a missing history is not fatal.
    }
  }

  renderConversation(active, MessageList) {
    // The log role goes on a wrapper: on the <ol> itself it would strip the list semantics
    // its <li> children need.
    const list = el("ol", { className: "message-items" });
    const log = el(
      "div",
      {
        className: "messages",
        role: "log",
        "aria-live": "polite",
        "data-testid": "message-list",
        tabindex: "0",
      },
      list,
    );
    localizeAttribute(log, "aria-label", "conversation.label");
    this.messages = new MessageList(list, {
      markdown: this.config.features.markdown,
      displayNames: this.displayNames,
      onSelect: (model, selection) => this.sendSelection(model, selection),
      onDownload: (attachment) => this.download(attachment),
    });
    this.typing = el("div", {
      className: "typing",
      "data-testid": "typing-indicator",
      "aria-live": "polite",
      hidden: true,
    });
    this.composer = renderComposer({
      attachments: active.attachments,
      onSend: (text) => this.sendText(text),
      onTyping: () => this.adapter?.sendTyping().catch(() => {}),
      onAttach: (file) => this.sendFile(file),
      onEnd: () => this.askToEnd(),
    });
    const transcript = localize(
      el("button", {
        type: "button",
        className: "transcript",
        "data-testid": "download-transcript",
        onClick: () => void this.downloadTranscript(),
      }),
      "transcript.download",
    );
    this.ui.view.replaceChildren(
      el("div", { className: "conversation-actions" }, transcript, this.composer.endButton),
      log,
      this.typing,
      this.composer.form,
    );
    if (this.config.features.customerFormatting) void this.addFormatToolbar();
  }

  /** The formatting toolbar is its own chunk, fetched only for stacks that turn it on. */
  async addFormatToolbar() {
    const composer = this.composer;
    try {
      const { renderFormatToolbar } = await import("./ui/format-toolbar.js");
      if (composer === this.composer && composer.form.isConnected)
        composer.form.before(renderFormatToolbar(composer.textarea));
    } catch {
      // Without the toolbar the visitor can still type Markdown by hand.
    }
  }

  onItem(item, { fromTranscript = false } = {}) {
    this.report(item, fromTranscript && item.time.getTime() <= this.replayedUntil);
    if (item.kind === "event" && item.contentType.endsWith(".chat.ended") && !fromTranscript) {
      this.messages.add(item);
      this.onEnded("connect");
      return;
    }
    const node = this.messages.add(item);
    if (item.role === "agent" && !fromTranscript) this.hideTyping();
    if (node) this.acknowledge(item, fromTranscript);
  }

  /**
   * Raises an item's host event once per item id; `silent` records it without telling (the
   * history of a chat resumed on the next page).
   * @param {import("./chat-adapter.js").ChatItem} item
   * @param {boolean} silent
   */
  report(item, silent) {
    if (!item.id || this.reported.has(item.id)) return;
    this.reported.add(item.id);
    const event = silent ? null : itemEvent(item, this.includeText);
    if (!event) return;
    this.hostEvent(event);
    if (this.host.embedded)
      this.store.saveReported(Math.max(this.store.loadReported(), item.time.getTime()));
  }

  /**
   * Receipts for the agent's messages, once each: delivered when a message arrives live (even
   * in a background tab), read when the page is visible.
   */
  acknowledge(item, fromTranscript) {
    if (item.role !== "agent" || !item.id || item.kind === "event") return;
    if (this.acknowledged.has(item.id)) return;
    this.acknowledged.add(item.id);
    if (!fromTranscript) this.adapter?.sendDelivered(item.id).catch(() => {});
    this.markRead(item.id);
  }

  markRead(id) {
    if (document.visibilityState === "hidden" || !this.shown) {
      this.unread.add(id);
      return;
    }
    this.adapter?.sendRead(id).catch(() => {});
  }

  markVisibleAsRead() {
    if (document.visibilityState === "hidden" || !this.shown) return;
    for (const id of this.unread) this.adapter?.sendRead(id).catch(() => {});
    this.unread.clear();
  }

  onTyping(item) {
    if (item.displayName) localize(this.typing, "typing.named", { name: item.displayName });
    else localize(this.typing, "typing.agent");
    this.typing.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), TYPING_VISIBLE_MS);
  }

  hideTyping() {
    clearTimeout(this.typingTimer);
    if (this.typing) {
      this.typing.hidden = true;
      this.typing.textContent = "";
      delete this.typing.dataset.i18n;
    }
  }

  onConnection(status) {
    // ChatJS may still report its socket closing after the chat is over; that is no outage.
    if (this.state === "ended") return;
    if (status === "lost") {
      this.connectionLost = true;
      this.showBanner("banner.connectionLost");
      this.hostEvent({ name: "error", payload: { code: "connection_lost" } });
    } else if (status === "established") {
      this.connectionLost = false;
      this.hideBanner();
      this.catchUp();
    }
  }

  /**
   * Connect does not replay on the websocket what was posted before the socket subscribed
   * (the first time, or while it was down); only the transcript has it. ChatJS reports the
   * connection when the socket opens, before its subscribe is acknowledged, and does not
   * expose the acknowledgement, so the transcript is read now and twice more shortly after.
   * add() skips what is already shown.
   */
  catchUp() {
    for (const timer of this.catchUpTimers) clearTimeout(timer);
    this.catchUpTimers = CATCH_UP_DELAYS_MS.map((delay) =>
      setTimeout(() => {
        if (["chat", "connecting", "survey"].includes(this.state)) void this.refreshTranscript();
      }, delay),
    );
  }

  /** The adapter of the chat on screen; the verbs below only run while there is one. */
  chat() {
    if (!this.adapter) throw new Error("no chat on screen");
    return this.adapter;
  }

  pendingItem(content, contentType = TEXT_PLAIN, kind = "message") {
    return {
      id: "",
      kind,
      role: "customer",
      displayName: this.active?.displayName ?? "",
      time: new Date(),
      contentType,
      content,
      attachments: [],
    };
  }

  async sendText(text) {
    this.showError("");
    // With the toolbar on, what the visitor writes is Markdown (agents see it formatted).
    const contentType = this.config.features.customerFormatting ? TEXT_MARKDOWN : TEXT_PLAIN;
    const pending = this.messages.addPending(this.pendingItem(text, contentType));
    try {
      const response = await this.chat().sendText(text, contentType);
      pending.confirm(response?.data?.Id, response?.data?.AbsoluteTime);
    } catch {
      pending.fail("status.notSent");
      this.showError(t("error.sendFailed"));
      this.hostEvent({ name: "error", payload: { code: "send_failed" } });
    }
  }

  async sendSelection(model, selection) {
    const json = buildInteractiveResponse(model, selection);
    const title = model.templateType === "TimePicker" ? formatTimeslot(selection) : selection.title;
    const pending = this.messages.addPending(this.pendingItem(json, INTERACTIVE_RESPONSE));
    pending.node.querySelector(".body").textContent = title;
    try {
      const response = await this.chat().sendInteractiveResponse(json);
      pending.confirm(response?.data?.Id, response?.data?.AbsoluteTime);
    } catch {
      pending.fail("status.notSent");
      this.showError(t("error.sendFailed"));
      this.hostEvent({ name: "error", payload: { code: "send_failed" } });
    }
  }

  async sendFile(file) {
    const problem = attachmentProblem(file);
    if (problem) {
      this.showError(problem);
      return;
    }
    this.showError("");
    const pending = this.messages.addPending({
      ...this.pendingItem("", "", "attachment"),
      attachments: [{ id: "", name: file.name, size: file.size }],
    });
    try {
      // ChatJS's typings promise no item id here (the echo is matched by name), but a
      // release that returns one is used.
      const response = /** @type {import("./chat-adapter.js").SentItem} */ (
        await this.chat().sendAttachment(file)
      );
      pending.confirm(response?.data?.Id, response?.data?.AbsoluteTime);
    } catch {
      pending.fail("status.uploadFailed");
      this.showError(t("error.attachmentNotSent", { name: file.name }));
      this.hostEvent({ name: "error", payload: { code: "upload_failed" } });
    }
  }

  async download(attachment) {
    if (!attachment.id) return;
    try {
      const blob = await this.chat().downloadAttachment(attachment.id);
      // The blob keeps the type S3 served; saveFile re-types it.
      saveFile(blob, attachment.name || "attachment");
    } catch {
      this.showError(t("error.attachmentNotDownloaded", { name: attachment.name }));
    }
  }

  /** The conversation so far (or in full, once ended) as a text file; its writer loads now. */
  async downloadTranscript() {
    try {
      const { transcriptFileName, transcriptText } = await import("./transcript-writer.js");
      const text = transcriptText({
        title: this.ui.heading.textContent ?? "",
        contactId: this.active?.contactId ?? "",
        entries: this.messages.transcriptEntries(),
        language: currentLanguage(),
      });
      // A byte-order mark, so editors that guess the encoding read Arabic or Japanese right.
      saveFile(new Blob(["\ufeff", text]), transcriptFileName());
    } catch {
      this.showError(t("transcript.failed"));
    }
  }

  askToEnd() {
    if (this.state !== "chat") return;
    confirmEndChat(this.ui.panel, {
      onConfirm: () => void this.endChat("customer"),
      returnFocus: this.composer.endButton,
    });
  }

  /** @param {"customer"|"host"} reason who ended it: the visitor's button or the host page */
  async endChat(reason) {
    if (this.state !== "chat") return;
    const adapter = this.adapter;
    if (this.config.features.postChatSurvey) {
      // Connect's end of the survey is still the visitor's (or host's) leaving, for the host.
      this.surveyEndReason = reason;
      this.enterSurvey();
      try {
        await adapter?.end({ awaitServerEnd: true });
      } catch {
        // The disconnect did not reach Connect: no survey will come.
        this.onEnded(reason);
      }
      return;
    }
    // The visitor asked to leave: the chat is over for them at once, while the disconnect
    // goes out. If it fails (offline), Connect ends the contact when the chat times out.
    this.onEnded(reason);
    try {
      await adapter?.end();
    } catch {
      /* see above */
    }
  }

  /**
   * The visitor left; Connect disconnected the agent and runs the flow's disconnect branch
   * (the survey) over the same connection until it ends the chat. The send box stays for
   * surveys that take typed answers.
   */
  enterSurvey() {
    this.state = "survey";
    if (this.active) this.store.finish(this.active);
    this.composer.endButton.remove();
    this.surveyNote = localize(
      el("p", { className: "survey-note", role: "status", "data-testid": "survey-note" }),
      "survey.waiting",
    );
    this.composer.form.before(this.surveyNote);
    this.focusFirst();
  }

  /** @param {import("./host-channel.js").ChatEndReason} reason */
  onEnded(reason) {
    if (this.state === "ended") return;
    if (this.state === "survey" && this.surveyEndReason) reason = this.surveyEndReason;
    this.surveyEndReason = null;
    this.state = "ended";
    if (this.active)
      this.hostEvent({ name: "chatEnded", payload: { contactId: this.active.contactId, reason } });
    for (const timer of this.catchUpTimers) clearTimeout(timer);
    this.hideTyping();
    this.hideBanner();
    if (this.active) this.store.finish(this.active);
    this.host.send("active", false);
    const restart = localize(
      el("button", { type: "button", className: "primary", onClick: () => this.restart() }),
      "ended.restart",
    );
    const forget = localize(
      el("button", { type: "button", className: "forget", onClick: () => this.forgetMe() }),
      "prechat.forget",
    );
    this.composer.form.replaceWith(
      el(
        "div",
        { className: "ended", role: "status" },
        localize(el("p"), "ended.text"),
        el("div", { className: "form-actions" }, restart, forget),
      ),
    );
    this.composer.endButton.remove();
    this.surveyNote?.remove();
    restart.focus();
  }

  restart() {
    this.active = null;
    this.adapter = null;
    this.showPreChat();
    this.focusFirst();
  }
}
