import { describe, expect, it, vi } from "vitest";
import {
  continueLabel,
  formatSavedChatTime,
  renderPreChatForm,
  setPreChatBusy,
} from "../src/chat/ui/prechat-form.js";

describe("renderPreChatForm prefill", () => {
  // Attribute keys are operator-chosen; "constructor" or "toString" are valid keys and must not
  // pick up Object's members from an empty host attribute map.
  it.each(["constructor", "toString", "valueOf", "__proto__"])(
    "leaves the %s field empty when the host set nothing",
    (attribute) => {
      const form = renderPreChatForm({
        fields: [{ attribute, label: "Ref", type: "text", options: [], required: false }],
        attributes: {},
        persistentChat: false,
        onSubmit: vi.fn(),
      });
      expect(form.querySelector(`#prechat-${attribute}`).value).toBe("");
    },
  );

  it("prefills a field the host did set", () => {
    const form = renderPreChatForm({
      fields: [
        { attribute: "constructor", label: "Ref", type: "text", options: [], required: false },
      ],
      attributes: JSON.parse('{"constructor": "ACME-7"}'),
      persistentChat: false,
      onSubmit: vi.fn(),
    });
    expect(form.querySelector("#prechat-constructor").value).toBe("ACME-7");
  });
});

describe("the offer to continue a saved chat", () => {
  const now = new Date(2026, 11, 2, 18, 30).getTime();

  it("gives the time alone for a chat of today, and day and time for an older one", () => {
    expect(formatSavedChatTime(new Date(2026, 11, 2, 9, 5).getTime(), now, "en-GB")).toBe("09:05");
    expect(formatSavedChatTime(new Date(2026, 11, 1, 9, 5).getTime(), now, "en-GB")).toBe(
      "Tue 1 Dec, 09:05",
    );
  });

  it("names whose chat it is, or says it is the previous one when no name was kept", () => {
    const endedAt = new Date(2026, 11, 2, 9, 5).getTime();
    expect(continueLabel({ displayName: "Grace Hopper", endedAt }, now)).toBe(
      `Continue the chat of Grace Hopper from ${formatSavedChatTime(endedAt, now)}?`,
    );
    expect(continueLabel({ displayName: "", endedAt }, now)).toBe(
      `Continue the previous chat from ${formatSavedChatTime(endedAt, now)}?`,
    );
  });

  it("offers the continuation and the forget button only with a saved chat", () => {
    const onForget = vi.fn();
    const bare = renderPreChatForm({
      fields: [],
      persistentChat: true,
      onSubmit: vi.fn(),
      onForget,
    });
    expect(bare.querySelector("#prechat-continue")).toBeNull();
    expect(bare.querySelector("button.forget")).toBeNull();
    const previous = { displayName: "Ann", endedAt: now };
    const offPersistent = renderPreChatForm({
      fields: [],
      previous,
      persistentChat: false,
      onSubmit: vi.fn(),
      onForget,
    });
    expect(offPersistent.querySelector("#prechat-continue")).toBeNull();
    // The name is still saved, so the visitor may still remove it.
    offPersistent.querySelector("button.forget").click();
    expect(onForget).toHaveBeenCalledTimes(1);
    expect(offPersistent.querySelector("button.forget").type).toBe("button");
  });

  it("cannot forget while a start is on its way", () => {
    const form = renderPreChatForm({
      fields: [],
      previous: { displayName: "Ann", endedAt: now },
      persistentChat: true,
      onSubmit: vi.fn(),
      onForget: vi.fn(),
    });
    setPreChatBusy(form, true);
    expect(form.querySelector("button.forget").disabled).toBe(true);
    setPreChatBusy(form, false);
    expect(form.querySelector("button.forget").disabled).toBe(false);
  });
});
