// Remembers the live chat for a page reload (sessionStorage: this tab only, gone when it closes)
// and the last ended chat for persistent chat (localStorage: survives the visit). What is kept
// for a continuation is the API's resume token, never a contact id: ids are not secrets, and
// the API continues a chat only for whoever holds its token. Everything it writes is under the
// "connect-chat:" prefix, so forgetAll() can remove it all.

const PREFIX = "connect-chat:";
const SESSION_KEY = `${PREFIX}session`;
const PREVIOUS_KEY = `${PREFIX}previous`;
// The server time (ms) of the newest item the host page was told about, for the next page.
const REPORTED_KEY = `${PREFIX}reported`;

/**
 * @typedef {object} ActiveChat the live chat, saved for a reload of this tab
 * @property {string} contactId
 * @property {string} participantId
 * @property {string} participantToken
 * @property {string} displayName
 * @property {boolean} [attachments]
 * @property {string} [resumeToken] the API's token for continuing this chat's series (absent:
 *   the API gave none, and the chat cannot be continued)
 * @property {number} [savedAt] when it was saved (ms since the epoch)
 */

/**
 * @typedef {object} SavedChat what a later chat may continue: an opaque record
 * @property {string} displayName whose chat it was, shown before it is continued
 * @property {number} endedAt when it ended (ms since the epoch)
 * @property {string} resumeToken what the next start sends as PersistentChat.SourceContactId:
 *   the API's opaque token for the series, never a contact id
 */

/**
 * @param {Storage} storage
 * @param {string} key
 * @returns {unknown}
 */
function read(storage, key) {
  try {
    const raw = storage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    // Storage can be blocked (privacy modes, third-party iframes) or hold junk: start afresh.
    return null;
  }
}

/**
 * @param {Storage} storage
 * @param {string} key
 * @param {unknown} value
 * @returns {boolean}
 */
function write(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {Storage} storage
 * @param {string} key
 */
function remove(storage, key) {
  try {
    storage.removeItem(key);
  } catch {
    /* blocked storage: nothing to remove */
  }
}

/**
 * @param {Storage} storage
 * @returns {string[]}
 */
function ownKeys(storage) {
  try {
    const keys = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  } catch {
    return [];
  }
}

/**
 * @param {unknown} value
 * @returns {value is ActiveChat}
 */
function isSavedSession(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    ["contactId", "participantId", "participantToken", "displayName"].every(
      (k) => typeof value[k] === "string" && value[k] !== "",
    )
  );
}

/**
 * The saved chat in a stored value, or null. A record an older widget kept holds a raw contact
 * id (as contactId or sourceContactId) and no resume token: the API no longer accepts those, so
 * it is not a saved chat and is never sent.
 * @param {unknown} value
 * @returns {SavedChat|null}
 */
function asSavedChat(value) {
  if (value === null || typeof value !== "object") return null;
  const { resumeToken, displayName, endedAt } = /** @type {Record<string, unknown>} */ (value);
  if (typeof resumeToken !== "string" || resumeToken === "") return null;
  if (typeof endedAt !== "number" || !Number.isFinite(endedAt)) return null;
  return { resumeToken, displayName: typeof displayName === "string" ? displayName : "", endedAt };
}

/**
 * What a later chat sends as PersistentChat.SourceContactId to continue this one. The one place
 * that decides what a saved chat holds: the API's resume token for the chat's series, never its
 * contact id; "" when the API gave none.
 * @param {ActiveChat} chat
 * @returns {string}
 */
export function continuationOf(chat) {
  return typeof chat.resumeToken === "string" ? chat.resumeToken : "";
}

export class SessionStore {
  /**
   * @param {Storage} [session]
   * @param {Storage} [persistent]
   */
  constructor(session = globalThis.sessionStorage, persistent = globalThis.localStorage) {
    this.session = session;
    this.persistent = persistent;
  }

  /** @param {ActiveChat} chat */
  saveActive(chat) {
    return write(this.session, SESSION_KEY, { ...chat, savedAt: Date.now() });
  }

  /**
   * The saved live chat, or null. Connect ends every chat at most ChatDurationInMinutes after
   * it started, so an older saved token is dead: it is dropped without asking the network, and
   * its resume token is remembered for a continuation.
   * @param {{maxAgeMs?: number, now?: number}} [options]
   * @returns {ActiveChat|null}
   */
  loadActive({ maxAgeMs = Number.POSITIVE_INFINITY, now = Date.now() } = {}) {
    const value = read(this.session, SESSION_KEY);
    if (!isSavedSession(value)) {
      if (value !== null) remove(this.session, SESSION_KEY);
      return null;
    }
    const { savedAt } = value;
    const saveTimeKnown = typeof savedAt === "number" && Number.isFinite(savedAt);
    if (!saveTimeKnown || now - savedAt > maxAgeMs) {
      // It ended at the latest when Connect's limit ran out, not now.
      const endedAt = saveTimeKnown ? savedAt + maxAgeMs : 0;
      this.finish(value, Math.min(endedAt, now));
      return null;
    }
    return value;
  }

  /**
   * Ends the live chat: forget its participant token, remember what a later chat may continue
   * from (its resume token, whose chat it was and when it ended). A chat the API gave no resume
   * token leaves nothing to continue.
   * @param {ActiveChat|null} chat the chat that ended (null: none started)
   * @param {number} [endedAt]
   */
  finish(chat, endedAt = Date.now()) {
    remove(this.session, SESSION_KEY);
    remove(this.session, REPORTED_KEY);
    const resumeToken = chat ? continuationOf(chat) : "";
    if (resumeToken) {
      /** @type {SavedChat} */
      const saved = { resumeToken, displayName: chat?.displayName ?? "", endedAt };
      write(this.persistent, PREVIOUS_KEY, saved);
    }
  }

  /** @param {number} time the newest reported item's server time, in ms */
  saveReported(time) {
    write(this.session, REPORTED_KEY, time);
  }

  /** @returns {number} 0 when nothing was reported in this tab */
  loadReported() {
    const value = read(this.session, REPORTED_KEY);
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  }

  /**
   * The ended chat a new one may continue, while it is fresh. On a shared device the next
   * visitor must not be offered (or shown the name of) an old chat: a stale, malformed or
   * future-dated record is removed.
   * @param {{maxAgeMs?: number, now?: number}} [options]
   * @returns {SavedChat|null}
   */
  loadPrevious({ maxAgeMs = Number.POSITIVE_INFINITY, now = Date.now() } = {}) {
    const value = read(this.persistent, PREVIOUS_KEY);
    if (value === null) return null;
    const saved = asSavedChat(value);
    if (saved === null || now - saved.endedAt > maxAgeMs || saved.endedAt > now) {
      remove(this.persistent, PREVIOUS_KEY);
      return null;
    }
    return saved;
  }

  forgetPrevious() {
    remove(this.persistent, PREVIOUS_KEY);
  }

  /** "Forget me on this device": every name, saved chat and token this widget stored. */
  forgetAll() {
    for (const storage of [this.session, this.persistent]) {
      for (const key of ownKeys(storage)) remove(storage, key);
    }
  }
}
