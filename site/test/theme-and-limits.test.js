import { describe, expect, it, vi } from "vitest";
import { MAX_ATTACHMENT_BYTES, attachmentProblem } from "../src/chat/attachments.js";
import { accentOnWhite, contrastRatio, textColourOn } from "../src/chat/theme.js";
import { typingThrottle } from "../src/chat/ui/composer.js";

describe("theme contrast (WCAG AA)", () => {
  it("computes the WCAG contrast ratio", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 1);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 1);
  });

  it.each([
    "#1f4fd1",
    "#ffcc00",
    "#00ff00",
    "#767676",
    "#000000",
    "#ffffff",
    "#e91e63",
    "#ff5722",
    "#2196f3",
  ])("picks a text colour with at least 4.5:1 on %s", (background) => {
    expect(contrastRatio(background, textColourOn(background))).toBeGreaterThanOrEqual(4.5);
  });

  it("holds for every grey and a sweep of hues", () => {
    for (let n = 0; n < 0xffffff; n += 0x0a0b0c) {
      const colour = `#${n.toString(16).padStart(6, "0")}`;
      expect(contrastRatio(colour, textColourOn(colour))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it.each(["#1f4fd1", "#ffcc00", "#66ccff", "#ffffff"])(
    "darkens %s until it reads on white",
    (colour) => {
      expect(contrastRatio(accentOnWhite(colour), "#ffffff")).toBeGreaterThanOrEqual(4.5);
    },
  );
});

describe("attachmentProblem", () => {
  const file = (name, size) => ({ name, size });
  it("accepts Connect's file types up to 20 MB", () => {
    expect(attachmentProblem(file("scan.PDF", 1000))).toBeNull();
    expect(attachmentProblem(file("photo.jpeg", MAX_ATTACHMENT_BYTES))).toBeNull();
  });
  it.each([
    [file("tool.exe", 10), /allowed types/],
    [file("noextension", 10), /allowed types/],
    [file("big.mp4", MAX_ATTACHMENT_BYTES + 1), /20 MB/],
    [file("empty.txt", 0), /empty/],
    [null, /choose a file/],
  ])("explains why %j cannot be sent", (input, reason) => {
    expect(attachmentProblem(input)).toMatch(reason);
  });
});

describe("typingThrottle", () => {
  it("reports typing at most once per interval", () => {
    let now = 0;
    const send = vi.fn();
    const report = typingThrottle(send, 3000, () => now);
    report();
    now = 1000;
    report();
    now = 3000;
    report();
    expect(send).toHaveBeenCalledTimes(2);
  });
});
