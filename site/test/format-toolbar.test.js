import { describe, expect, it } from "vitest";
import { applyFormat, renderFormatToolbar, shortcutAction } from "../src/chat/ui/format-toolbar.js";

const state = (value, start, end = start) => ({ value, start, end });

describe("applyFormat", () => {
  it("wraps the selection in bold or italic marks and keeps it selected", () => {
    expect(applyFormat(state("say hello now", 4, 9), "bold")).toEqual(
      state("say **hello** now", 6, 11),
    );
    expect(applyFormat(state("say hello now", 4, 9), "italic")).toEqual(
      state("say _hello_ now", 5, 10),
    );
    expect(applyFormat(state("", 0), "bold")).toEqual(state("****", 2, 2));
  });

  it("turns each selected line into a list item, from the start of its line", () => {
    expect(applyFormat(state("Items:\nmilk\neggs", 9, 16), "list")).toEqual(
      state("Items:\n- milk\n- eggs", 7, 20),
    );
    expect(applyFormat(state("- done\nnext", 0, 11), "list")).toEqual(
      state("- done\n- next", 0, 13),
    );
  });

  it("makes a link of the selection and selects the address to type", () => {
    expect(applyFormat(state("see docs", 4, 8), "link")).toEqual(
      state("see [docs](https://)", 11, 19),
    );
  });
});

describe("shortcutAction", () => {
  const key = (init) => new KeyboardEvent("keydown", init);
  it("maps Ctrl or Cmd with B, I, K and Shift+8, and nothing else", () => {
    expect(
      [
        key({ key: "b", ctrlKey: true }),
        key({ key: "I", metaKey: true }),
        key({ key: "k", ctrlKey: true }),
        key({ key: "*", code: "Digit8", ctrlKey: true, shiftKey: true }),
        key({ key: "b" }),
        key({ key: "b", ctrlKey: true, altKey: true }),
        key({ key: "v", ctrlKey: true }),
      ].map(shortcutAction),
    ).toEqual(["bold", "italic", "link", "list", null, null, null]);
  });
});

describe("renderFormatToolbar", () => {
  function setUp() {
    const textarea = document.createElement("textarea");
    textarea.id = "composer-message";
    textarea.maxLength = 1024;
    const toolbar = renderFormatToolbar(textarea);
    document.body.replaceChildren(toolbar, textarea);
    return { textarea, toolbar, buttons: [...toolbar.querySelectorAll("button")] };
  }

  it("is a labelled toolbar of labelled buttons with one tab stop", () => {
    const { toolbar, buttons } = setUp();
    expect([
      toolbar.getAttribute("role"),
      toolbar.getAttribute("aria-label"),
      toolbar.getAttribute("aria-controls"),
    ]).toEqual(["toolbar", "Formatting", "composer-message"]);
    expect(buttons.map((b) => [b.getAttribute("aria-label"), b.tabIndex])).toEqual([
      ["Bold", 0],
      ["Italic", -1],
      ["Bulleted list", -1],
      ["Link", -1],
    ]);
  });

  it("formats the send box from a button and from the keyboard shortcut", () => {
    const { textarea, buttons } = setUp();
    textarea.value = "very important";
    textarea.setSelectionRange(5, 14);
    buttons[0].click();
    expect(textarea.value).toBe("very **important**");
    expect(document.activeElement).toBe(textarea);
    textarea.setSelectionRange(0, 4);
    textarea.dispatchEvent(
      new KeyboardEvent("keydown", { key: "i", ctrlKey: true, bubbles: true }),
    );
    expect(textarea.value).toBe("_very_ **important**");
  });

  it("moves focus between buttons with the arrow keys, wrapping round", () => {
    const { buttons } = setUp();
    buttons[0].focus();
    buttons[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }));
    expect([document.activeElement, buttons.map((b) => b.tabIndex)]).toEqual([
      buttons[3],
      [-1, -1, -1, 0],
    ]);
    buttons[3].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    expect(document.activeElement).toBe(buttons[0]);
  });

  it("refuses a change that would pass the send box's limit", () => {
    const { textarea, buttons } = setUp();
    textarea.value = "x".repeat(1023);
    textarea.setSelectionRange(0, 1);
    buttons[0].click();
    expect(textarea.value).toBe("x".repeat(1023));
  });
});
