import { afterEach, describe, expect, it } from "vitest";
import { loadLocale } from "../src/i18n/index.js";
import { transcriptFileName, transcriptText } from "../src/chat/transcript-writer.js";

const at = (time) => new Date(`2026-11-25T${time}:00Z`);

const entries = [
  { role: "system", sender: "", time: at("10:00"), text: "Alex joined the chat", attachments: [] },
  {
    role: "agent",
    sender: "Alex",
    time: at("10:01"),
    text: "Hello!\nHow can I help?",
    attachments: [],
  },
  {
    role: "customer",
    sender: "You",
    time: at("10:02"),
    text: "",
    attachments: ["receipt.pdf", "photo.png"],
  },
  // What the wire sent as markup arrives here as the text the visitor saw; controls and bidi
  // overrides are dropped.
  {
    role: "agent",
    sender: "Eve\u202e",
    time: at("10:03"),
    text: "<img src=x onerror=alert(1)>\u0007 done",
    attachments: [],
  },
];

afterEach(async () => {
  await loadLocale("en");
});

describe("transcriptText", () => {
  it("writes names, times, messages and attachment names as plain text", () => {
    const text = transcriptText({
      title: "Chat with us",
      contactId: "c-1",
      entries,
      language: "en",
      now: at("11:00"),
      timeZone: "UTC",
    });
    expect(text).toBe(
      [
        "Chat with us - Chat transcript",
        "Contact ID: c-1",
        "11/25/26, 11:00 AM",
        "",
        "[11/25/26, 10:00 AM] Alex joined the chat",
        "[11/25/26, 10:01 AM] Alex: Hello!",
        "    How can I help?",
        "[11/25/26, 10:02 AM] You: Attachment: receipt.pdf",
        "    Attachment: photo.png",
        "[11/25/26, 10:03 AM] Eve: <img src=x onerror=alert(1)> done",
        "",
      ].join("\n"),
    );
  });

  it("speaks the chosen language", async () => {
    await loadLocale("de");
    const text = transcriptText({
      title: "Hilfe",
      contactId: "c-2",
      entries: entries.slice(2, 3),
      language: "de",
      now: at("11:00"),
      timeZone: "UTC",
    });
    expect(text).toBe(
      [
        "Hilfe - Chatverlauf",
        "Kontakt-ID: c-2",
        "25.11.26, 11:00",
        "",
        "[25.11.26, 10:02] You: Anhang: receipt.pdf",
        "    Anhang: photo.png",
        "",
      ].join("\n"),
    );
  });
});

describe("transcriptFileName", () => {
  it("names the file by the local date and time", () => {
    expect(transcriptFileName(new Date(2026, 10, 5, 9, 7))).toBe(
      "chat-transcript-2026-11-05-0907.txt",
    );
  });
});
