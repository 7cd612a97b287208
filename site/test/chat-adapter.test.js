import { describe, expect, it, vi } from "vitest";
import { ChatAdapter, toChatItem } from "../src/chat/chat-adapter.js";

function fakeConnect() {
  const calls = [];
  const handlers = {};
  const session = new Proxy(
    {
      connect: vi.fn(async () => {
        calls.push("connect");
        return { connectSuccess: true };
      }),
      sendMessage: vi.fn(async (args) => ({
        data: { Id: "m-1", AbsoluteTime: "2026-11-25T10:00:00Z" },
        args,
      })),
      sendEvent: vi.fn(async (_args) => ({})),
      sendAttachment: vi.fn(async () => ({ data: { Id: "a-1" } })),
      downloadAttachment: vi.fn(async () => new Blob(["x"])),
      disconnectParticipant: vi.fn(async () => ({})),
      getTranscript: vi.fn(),
    },
    {
      get(target, name) {
        if (name in target) return target[name];
        if (typeof name === "string" && name.startsWith("on")) return (fn) => (handlers[name] = fn);
        return undefined;
      },
    },
  );
  // Only what the adapter calls: not a whole `typeof connect`.
  /** @type {any} */
  const connect = {
    ChatSession: {
      SessionTypes: { CUSTOMER: "CUSTOMER" },
      setGlobalConfig: vi.fn((config) => calls.push(["setGlobalConfig", config])),
      create: vi.fn((args) => {
        calls.push(["create", args]);
        return session;
      }),
    },
  };
  return { connect, session, calls, handlers };
}

const details = { ContactId: "c-1", ParticipantId: "p-1", ParticipantToken: "tok" };

describe("ChatAdapter.connect", () => {
  it("sets the participant endpoint before the first create()", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter(
      { region: "eu-west-2", participantEndpoint: "http://127.0.0.1:8082" },
      async () => fake.connect,
    );
    await adapter.connect(details);
    expect(fake.calls[0][0]).toBe("setGlobalConfig");
    expect(fake.calls[0][1]).toMatchObject({
      region: "eu-west-2",
      endpoint: "http://127.0.0.1:8082",
    });
    expect(fake.calls[1][0]).toBe("create");
    expect(fake.calls[1][1].chatDetails).toEqual({
      contactId: "c-1",
      participantId: "p-1",
      participantToken: "tok",
    });
    expect(fake.calls[1][1].type).toBe("CUSTOMER");
    expect(fake.calls[2]).toBe("connect");
  });

  it("leaves the AWS endpoint alone when no participantEndpoint is configured", async () => {
    const fake = fakeConnect();
    await new ChatAdapter(
      { region: "eu-west-2", participantEndpoint: null },
      async () => fake.connect,
    ).connect(details);
    expect(fake.calls[0][1]).not.toHaveProperty("endpoint");
  });

  it("fails when ChatJS reports an unsuccessful connection", async () => {
    const fake = fakeConnect();
    fake.session.connect.mockResolvedValueOnce({ connectSuccess: false });
    await expect(
      new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect).connect(details),
    ).rejects.toThrow();
  });

  it("turns ChatJS events into items, typing, receipts, connection and end events", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    const seen = [];
    for (const name of /** @type {const} */ (["item", "typing", "receipt", "connection", "ended"]))
      adapter.on(name, (v) => seen.push([name, v]));
    await adapter.connect(details);
    fake.handlers.onMessage({
      data: {
        Id: "m-9",
        Type: "MESSAGE",
        ContentType: "text/plain",
        Content: "hi",
        ParticipantRole: "AGENT",
        DisplayName: "Alex",
        AbsoluteTime: "2026-11-25T10:00:00Z",
      },
    });
    fake.handlers.onTyping({
      data: {
        Type: "EVENT",
        ContentType: "application/vnd.amazonaws.connect.event.typing",
        ParticipantRole: "AGENT",
      },
    });
    fake.handlers.onTyping({
      data: {
        Type: "EVENT",
        ContentType: "application/vnd.amazonaws.connect.event.typing",
        ParticipantRole: "CUSTOMER",
      },
    });
    fake.handlers.onMessage({
      data: {
        Type: "MESSAGEMETADATA",
        MessageMetadata: { MessageId: "m-1", Receipts: [{ ReadTimestamp: "t" }] },
      },
    });
    fake.handlers.onConnectionBroken({});
    fake.handlers.onConnectionEstablished({});
    fake.handlers.onEnded({});
    expect(seen.map(([name]) => name)).toEqual([
      "item",
      "typing",
      "receipt",
      "connection",
      "connection",
      "ended",
    ]);
    expect(seen[0][1]).toMatchObject({
      kind: "message",
      role: "agent",
      displayName: "Alex",
      content: "hi",
    });
    expect(seen[2][1]).toEqual({ messageId: "m-1", read: true, delivered: true });
    expect(seen[3][1]).toBe("lost");
    expect(seen[4][1]).toBe("established");
  });

  it("sends text, interactive responses, typing and read receipts through the session", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    await adapter.connect(details);
    await adapter.sendText("hello");
    await adapter.sendInteractiveResponse("{}");
    await adapter.sendTyping();
    await adapter.sendRead("m-9");
    await adapter.sendDelivered("m-9");
    expect(fake.session.sendMessage.mock.calls.map(([a]) => a)).toEqual([
      { message: "hello", contentType: "text/plain" },
      {
        message: "{}",
        contentType: "application/vnd.amazonaws.connect.message.interactive.response",
      },
    ]);
    expect(fake.session.sendEvent.mock.calls.map(([a]) => a)).toEqual([
      { contentType: "application/vnd.amazonaws.connect.event.typing" },
      {
        contentType: "application/vnd.amazonaws.connect.event.message.read",
        content: JSON.stringify({ messageId: "m-9" }),
      },
      {
        contentType: "application/vnd.amazonaws.connect.event.message.delivered",
        content: JSON.stringify({ messageId: "m-9" }),
      },
    ]);
  });

  it("pages through the whole transcript, oldest first", async () => {
    const fake = fakeConnect();
    fake.session.getTranscript
      .mockResolvedValueOnce({
        data: {
          Transcript: [{ Id: "3", Type: "MESSAGE", ContentType: "text/plain", Content: "c" }],
          NextToken: "n",
        },
      })
      .mockResolvedValueOnce({
        data: {
          Transcript: [
            { Id: "1", Type: "MESSAGE", ContentType: "text/plain" },
            { Id: "2", Type: "MESSAGE", ContentType: "text/plain" },
          ],
        },
      });
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    await adapter.connect(details);
    const items = await adapter.loadTranscript();
    expect(items.map((i) => i.id)).toEqual(["1", "2", "3"]);
    expect(fake.session.getTranscript.mock.calls[1][0].nextToken).toBe("n");
  });

  it("reports the end even when disconnecting fails", async () => {
    const fake = fakeConnect();
    fake.session.disconnectParticipant.mockRejectedValueOnce(new Error("offline"));
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    const ended = vi.fn();
    adapter.on("ended", ended);
    await adapter.connect(details);
    await expect(adapter.end()).rejects.toThrow("offline");
    expect(ended).toHaveBeenCalled();
  });

  it("for the survey, leaves but reports the end only when Connect ends the chat", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    const ended = vi.fn();
    adapter.on("ended", ended);
    await adapter.connect(details);
    await adapter.end({ awaitServerEnd: true });
    expect([fake.session.disconnectParticipant.mock.calls.length, ended.mock.calls.length]).toEqual(
      [1, 0],
    );
    fake.handlers.onEnded({});
    expect(ended).toHaveBeenCalledTimes(1);
  });
});

describe("toChatItem", () => {
  it("marks a SYSTEM message with MessageCompleted false as a growing stream, and only that", () => {
    const chunk = {
      Id: "s1",
      Type: "MESSAGE",
      ParticipantRole: "SYSTEM",
      ContentType: "text/plain",
      Content: "Str",
      MessageMetadata: { MessageId: "s1", ChunkNumber: 1, MessageCompleted: false },
    };
    expect([toChatItem(chunk).kind, toChatItem(chunk).streaming]).toEqual(["message", true]);
    const done = {
      ...chunk,
      MessageMetadata: { ...chunk.MessageMetadata, MessageCompleted: true },
    };
    expect(toChatItem(done).streaming).toBe(false);
    expect(toChatItem({ ...chunk, ParticipantRole: "AGENT" }).streaming).toBe(false);
    expect(toChatItem({ ...chunk, MessageMetadata: undefined }).streaming).toBe(false);
  });

  it("classifies roles and kinds", () => {
    expect(
      toChatItem({ Type: "MESSAGE", ParticipantRole: "CUSTOMER", ContentType: "text/plain" }),
    ).toMatchObject({ kind: "message", role: "customer" });
    expect(
      toChatItem({ Type: "MESSAGE", ParticipantRole: "SYSTEM", ContentType: "text/plain" }),
    ).toMatchObject({ kind: "message", role: "system" });
    expect(
      toChatItem({ Type: "MESSAGE", ParticipantRole: "CUSTOM_BOT", ContentType: "text/plain" }),
    ).toMatchObject({ role: "agent" });
    expect(
      toChatItem({
        Type: "EVENT",
        ParticipantRole: "AGENT",
        ContentType: "application/vnd.amazonaws.connect.event.participant.joined",
      }),
    ).toMatchObject({
      kind: "event",
      role: "system",
      participantRole: "AGENT",
    });
  });

  it("reads attachments", () => {
    const item = toChatItem({
      Type: "ATTACHMENT",
      ParticipantRole: "AGENT",
      Attachments: [
        {
          AttachmentId: "a1",
          AttachmentName: "r.pdf",
          ContentType: "application/pdf",
          Status: "APPROVED",
        },
      ],
    });
    expect(item.kind).toBe("attachment");
    expect(item.attachments).toEqual([
      { id: "a1", name: "r.pdf", contentType: "application/pdf", status: "APPROVED" },
    ]);
  });

  it("reads delivered/read receipts from events and metadata", () => {
    expect(
      toChatItem({
        Type: "EVENT",
        ContentType: "application/vnd.amazonaws.connect.event.message.delivered",
        Content: '{"messageId":"m1"}',
      }).receipt,
    ).toEqual({
      messageId: "m1",
      read: false,
      delivered: true,
    });
    expect(
      toChatItem({
        Type: "MESSAGEMETADATA",
        MessageMetadata: { MessageId: "m2", Receipts: [{ DeliveredTimestamp: "t" }] },
      }).receipt,
    ).toEqual({
      messageId: "m2",
      read: false,
      delivered: true,
    });
  });
});

describe("ChatAdapter reconnects a broken connection", () => {
  it("ignores events from a replaced session", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    const items = [];
    adapter.on("item", (item) => items.push(item.id));
    await adapter.connect(details);
    const oldOnMessage = fake.handlers.onMessage;
    adapter.session = /** @type {any} */ ({ replaced: true });
    oldOnMessage({
      data: { Id: "late", Type: "MESSAGE", ContentType: "text/plain", ParticipantRole: "AGENT" },
    });
    expect(items).toEqual([]);
  });

  it("calls connect() again with back-off until ChatJS is connected", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    await adapter.connect(details);
    vi.useFakeTimers();
    try {
      fake.session.connect
        .mockRejectedValueOnce(new Error("offline"))
        .mockResolvedValueOnce({ connectSuccess: true });
      fake.handlers.onConnectionBroken({});
      await vi.advanceTimersByTimeAsync(999);
      expect(fake.session.connect).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.session.connect).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(2000);
      expect(fake.session.connect).toHaveBeenCalledTimes(3);
      // ChatJS ignores a second connect() on a session: every attempt is a new session.
      expect(fake.connect.ChatSession.create).toHaveBeenCalledTimes(3);
      expect(fake.connect.ChatSession.create.mock.calls[2][0].chatDetails.participantToken).toBe(
        "tok",
      );
      fake.handlers.onConnectionEstablished({});
      await vi.advanceTimersByTimeAsync(60000);
      expect(fake.session.connect).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reports the end when Connect refuses the participant (403)", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    const ended = vi.fn();
    adapter.on("ended", ended);
    await adapter.connect(details);
    vi.useFakeTimers();
    try {
      fake.session.connect.mockRejectedValueOnce({ _debug: { statusCode: 403 } });
      fake.handlers.onConnectionBroken({});
      await vi.advanceTimersByTimeAsync(1000);
      expect(ended).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60000);
      expect(fake.session.connect).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not reconnect after the chat ended", async () => {
    const fake = fakeConnect();
    const adapter = new ChatAdapter({ region: "eu-west-2" }, async () => fake.connect);
    await adapter.connect(details);
    vi.useFakeTimers();
    try {
      fake.handlers.onEnded({});
      fake.handlers.onConnectionBroken({});
      await vi.advanceTimersByTimeAsync(60000);
      expect(fake.session.connect).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
