// Remembers the live chat for a page reload (sessionStorage: this tab only, gone when it closes)
// and the last ended chat for persistent chat (localStorage: survives the visit). Everything it
// writes is under the "connect-chat:" prefix, so forgetAll() can remove it all.

const PREFIX = "connect-chat:";
const SESSION_KEY = `${PREFIX}session`;
const PREVIOUS_KEY = `${PREFIX}previous`;

/**
 * @typedef {object} ActiveChat the live chat, saved for a reload of this tab
 * @property {string} contactId
 * @property {string} participantId
 * @property {string} participantToken
 * @property {string} displayName
 * @property {boolean} [attachments]
 * @property {number} [savedAt] when it was saved (ms since the epoch)
 */

/**
 * @typedef {object} SavedChat what a later chat may continue: an opaque record
 * @property {string} displayName whose chat it was, shown before it is continued
 * @property {number} endedAt when it ended (ms since the epoch)
 * @property {string} sourceContactId what the next start sends as
 *   PersistentChat.SourceContactId (the ended contact's id, or a token the API issued for it)
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
 * The saved chat in a stored value, or null. Records written before the field was named
 * sourceContactId held it as contactId.
 * @param {unknown} value
 * @returns {SavedChat|null}
 */
function asSavedChat(value) {
  if (value === null || typeof value !== "object") return null;
  const source = typeof value.sourceContactId === "string" ? value.sourceContactId : value.contactId;
  if (typeof source !== "string" || source === "" || !Number.isFinite(value.endedAt)) return null;
  const displayName = typeof value.displayName === "string" ? value.displayName : "";
  return { sourceContactId: source, displayName, endedAt: value.endedAt };
}

/**
 * What a later chat sends as PersistentChat.SourceContactId to continue this one. The one place
 * that decides what a saved chat holds: the contact id today; a token the API issues would
 * replace it here.
 * @param {ActiveChat} chat
 * @returns {string}
 */
export function continuationOf(chat) {
  return chat.contactId;
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
   * the contact is remembered for a continuation.
   * @param {{maxAgeMs?: number, now?: number}} [options]
   * @returns {ActiveChat|null}
   */
  loadActive({ maxAgeMs = Number.POSITIVE_INFINITY, now = Date.now() } = {}) {
    const value = read(this.session, SESSION_KEY);
    if (!isSavedSession(value)) {
      if (value !== null) remove(this.session, SESSION_KEY);
      return null;
    }
    if (!Number.isFinite(value.savedAt) || now - value.savedAt > maxAgeMs) {
      // It ended at the latest when Connect's limit ran out, not now.
      const endedAt = Number.isFinite(value.savedAt) ? value.savedAt + maxAgeMs : 0;
      this.finish(value, Math.min(endedAt, now));
      return null;
    }
    return value;
  }

  /**
   * Ends the live chat: forget its token, remember what a later chat may continue from.
   * @param {ActiveChat|null} chat the chat that ended (null: none started)
   * @param {number} [endedAt]
   */
  finish(chat, endedAt = Date.now()) {
    remove(this.session, SESSION_KEY);
    const sourceContactId = chat ? continuationOf(chat) : "";
    if (sourceContactId) {
      /** @type {SavedChat} */
      const saved = { sourceContactId, displayName: chat?.displayName ?? "", endedAt };
      write(this.persistent, PREVIOUS_KEY, saved);
    }
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
