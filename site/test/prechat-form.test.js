import { describe, expect, it, vi } from "vitest";
import { renderPreChatForm } from "../src/chat/ui/prechat-form.js";

describe("renderPreChatForm prefill", () => {
  // Attribute keys are operator-chosen; "constructor" or "toString" are valid keys and must not
  // pick up Object's members from an empty host attribute map.
  it.each(["constructor", "toString", "valueOf", "__proto__"])("leaves the %s field empty when the host set nothing", (attribute) => {
    const form = renderPreChatForm({
      fields: [{ attribute, label: "Ref", type: "text", options: [], required: false }],
      attributes: {},
      persistentChat: false,
      onSubmit: vi.fn(),
    });
    expect(form.querySelector(`#prechat-${attribute}`).value).toBe("");
  });

  it("prefills a field the host did set", () => {
    const form = renderPreChatForm({
      fields: [{ attribute: "constructor", label: "Ref", type: "text", options: [], required: false }],
      attributes: JSON.parse('{"constructor": "ACME-7"}'),
      persistentChat: false,
      onSubmit: vi.fn(),
    });
    expect(form.querySelector("#prechat-constructor").value).toBe("ACME-7");
  });
});
