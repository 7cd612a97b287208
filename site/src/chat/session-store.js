// Remembers the live chat for a page reload (sessionStorage: this tab only, gone when it closes)
// and the last ended chat for persistent chat (localStorage: survives the visit). What is kept
// for a continuation is the API's resume token, never a contact id: ids are not secrets, and
// the API continues a chat only for whoever holds its token.

const SESSION_KEY = "connect-chat:session";
const PREVIOUS_KEY = "connect-chat:previous";

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

  /** @param {{contactId, participantId, participantToken, displayName, resumeToken?: string, attachments?: boolean}} chat */
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
      this.finish(value.resumeToken, value.displayName);
      return null;
    }
    return value;
  }

  /** Ends the live chat: forget its participant token, keep its resume token for a continuation. */
  finish(resumeToken, displayName) {
    remove(this.session, SESSION_KEY);
    if (typeof resumeToken === "string" && resumeToken) {
      write(this.persistent, PREVIOUS_KEY, { resumeToken, displayName, endedAt: Date.now() });
    }
  }

  loadPrevious() {
    const value = read(this.persistent, PREVIOUS_KEY);
    if (value && typeof value.resumeToken === "string" && value.resumeToken) return value;
    // An older widget kept a raw contact id here, which the API no longer accepts.
    if (value !== null) remove(this.persistent, PREVIOUS_KEY);
    return null;
  }

  forgetPrevious() {
    remove(this.persistent, PREVIOUS_KEY);
  }
}
