// The "Download transcript" file: plain text, so nothing from the wire can run in it (a
// message's markup was already reduced to the text the visitor saw). Loaded on demand.
import { t } from "../i18n/index.js";

/**
 * One line of the conversation as the visitor saw it.
 * @typedef {{role: string, sender: string, time: Date, text: string, attachments: string[]}} TranscriptEntry
 */

// Control characters (other than tab and newline) and bidi overrides could disguise the text
// in an editor or a terminal; they carry nothing a reader needs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** @param {string} text */
function clean(text) {
  return text.replace(/\r\n?/g, "\n").replace(HIDDEN, "").trim();
}

/**
 * @param {{title: string, contactId: string, entries: TranscriptEntry[], language: string,
 *   now?: Date, timeZone?: string}} transcript
 * @returns {string}
 */
export function transcriptText({
  title,
  contactId,
  entries,
  language,
  now = new Date(),
  timeZone,
}) {
  const when = (/** @type {Date} */ date) =>
    date.toLocaleString(language, { dateStyle: "short", timeStyle: "short", timeZone });
  const lines = [
    `${clean(title)} - ${t("transcript.title")}`,
    t("transcript.contact", { id: contactId }),
    when(now),
    "",
  ];
  for (const entry of entries) {
    const body = [
      clean(entry.text),
      ...entry.attachments.map((name) => t("transcript.attachment", { name: clean(name) })),
    ]
      .filter(Boolean)
      .join("\n");
    const who = entry.role === "system" ? "" : `${clean(entry.sender)}: `;
    // Continuation lines are indented so each message stays one block.
    lines.push(`[${when(entry.time)}] ${who}${body.replace(/\n/g, "\n    ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * @param {Date} now
 * @returns {string} e.g. chat-transcript-2026-11-25-1000.txt
 */
export function transcriptFileName(now = new Date()) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `chat-transcript-${stamp}.txt`;
}
