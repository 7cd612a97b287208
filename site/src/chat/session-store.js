// Remembers the live chat for a page reload (sessionStorage: this tab only, gone when it closes)
// and the last ended chat for persistent chat (localStorage: survives the visit).

const SESSION_KEY = "connect-chat:session";
const PREVIOUS_KEY = "connect-chat:previous";
// The server time (ms) of the newest item the host page was told about, for the next page.
const REPORTED_KEY = "connect-chat:reported";

function read(storage, key) {
  try {
    const raw = storage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    // Storage can be blocked (privacy modes, third-party iframes) or hold junk: start afresh.
    return null;
  }
}

function write(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function remove(storage, key) {
  try {
    storage.removeItem(key);
  } catch {
    /* blocked storage: nothing to remove */
  }
}

function isSavedSession(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    ["contactId", "participantId", "participantToken", "displayName"].every(
      (k) => typeof value[k] === "string" && value[k] !== "",
    )
  );
}

export class SessionStore {
  constructor(session = globalThis.sessionStorage, persistent = globalThis.localStorage) {
    this.session = session;
    this.persistent = persistent;
  }

  /** @param {{contactId, participantId, participantToken, displayName, attachments?: boolean}} chat */
  saveActive(chat) {
    return write(this.session, SESSION_KEY, { ...chat, savedAt: Date.now() });
  }

  /**
   * The saved live chat, or null. Connect ends every chat at most ChatDurationInMinutes after
   * it started, so an older saved token is dead: it is dropped without asking the network, and
   * the contact is remembered for a continuation.
   */
  loadActive({ maxAgeMs = Number.POSITIVE_INFINITY, now = Date.now() } = {}) {
    const value = read(this.session, SESSION_KEY);
    if (!isSavedSession(value)) {
      if (value !== null) remove(this.session, SESSION_KEY);
      return null;
    }
    if (!Number.isFinite(value.savedAt) || now - value.savedAt > maxAgeMs) {
      this.finish(value.contactId, value.displayName);
      return null;
    }
    return value;
  }

  /** Ends the live chat: forget its token, remember its contact for a later continuation. */
  finish(contactId, displayName) {
    remove(this.session, SESSION_KEY);
    remove(this.session, REPORTED_KEY);
    if (contactId) write(this.persistent, PREVIOUS_KEY, { contactId, displayName, endedAt: Date.now() });
  }

  /** @param {number} time the newest reported item's server time, in ms */
  saveReported(time) {
    write(this.session, REPORTED_KEY, time);
  }

  /** @returns {number} 0 when nothing was reported in this tab */
  loadReported() {
    const value = read(this.session, REPORTED_KEY);
    return Number.isFinite(value) ? value : 0;
  }

  loadPrevious() {
    const value = read(this.persistent, PREVIOUS_KEY);
    return value && typeof value.contactId === "string" && value.contactId ? value : null;
  }

  forgetPrevious() {
    remove(this.persistent, PREVIOUS_KEY);
  }
}
