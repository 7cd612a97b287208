import { describe, expect, it } from "vitest";
import {
  buildInteractiveResponse,
  parseInteractive,
  responseTitle,
} from "../src/chat/interactive.js";

const template = (templateType, content, extra = {}) =>
  JSON.stringify({ templateType, version: "1.0", data: { content }, ...extra });

const listPicker = template("ListPicker", {
  title: "Which plan?",
  subtitle: "Tap to select",
  imageType: "URL",
  imageData: "https://example.com/plans.png",
  elements: [
    { title: "Starter", subtitle: "$10", id: "starter" },
    { title: "Team", subtitle: "$25", imageData: "javascript:alert(1)" },
  ],
});

describe("parseInteractive", () => {
  it("reads a ListPicker with its elements", () => {
    const model = parseInteractive(listPicker);
    expect(model.templateType).toBe("ListPicker");
    expect(model.title).toBe("Which plan?");
    expect(model.imageUrl).toBe("https://example.com/plans.png");
    expect(model.elements.map((e) => [e.id, e.title, e.subtitle])).toEqual([
      ["starter", "Starter", "$10"],
      ["1", "Team", "$25"],
    ]);
  });

  it("drops non-https image URLs", () => {
    expect(parseInteractive(listPicker).elements[1].imageUrl).toBe("");
  });

  it("reads QuickReply and Panel like a list", () => {
    expect(
      parseInteractive(
        template("QuickReply", { title: "How was it?", elements: [{ title: "Great" }] }),
      ).elements,
    ).toHaveLength(1);
    expect(
      parseInteractive(
        template("Panel", {
          title: "Help?",
          elements: [{ title: "Orders" }, { title: "Billing" }],
        }),
      ).elements,
    ).toHaveLength(2);
  });

  it("reads a TimePicker's valid timeslots only", () => {
    const model = parseInteractive(
      template("TimePicker", {
        title: "Call back",
        timeZoneOffset: 0,
        timeslots: [
          { date: "2026-11-26T09:00+00:00", duration: 60 },
          { date: "not a date", duration: 60 },
        ],
      }),
    );
    expect(model.timeslots).toEqual([{ date: "2026-11-26T09:00+00:00", duration: 60 }]);
  });

  it("reads a Carousel of panels", () => {
    const panel = (title) => ({
      templateType: "Panel",
      templateIdentifier: `p-${title}`,
      version: "1.0",
      data: { content: { title, elements: [{ title: "Go" }] } },
    });
    const model = parseInteractive(
      template("Carousel", { title: "Topics", elements: [panel("Orders"), panel("Billing")] }),
    );
    expect(model.panels.map((p) => [p.title, p.templateIdentifier])).toEqual([
      ["Orders", "p-Orders"],
      ["Billing", "p-Billing"],
    ]);
  });

  it.each([
    ["not json"],
    [
      JSON.stringify({
        templateType: "Unknown",
        data: { content: { title: "x", elements: [{ title: "a" }] } },
      }),
    ],
    [template("ListPicker", { title: "no elements", elements: [] })],
    [template("ListPicker", { elements: [{ title: "no title" }] })],
    [template("TimePicker", { title: "no slots", timeslots: [] })],
    [template("Carousel", { title: "empty", elements: [] })],
    [JSON.stringify(null)],
  ])("returns null for what it cannot show: %s", (content) => {
    expect(parseInteractive(content)).toBeNull();
  });
});

describe("buildInteractiveResponse", () => {
  it("answers a list with the chosen element's title and id", () => {
    const model = parseInteractive(listPicker);
    const response = JSON.parse(buildInteractiveResponse(model, model.elements[0]));
    expect(response).toEqual({
      templateType: "ListPicker",
      version: "1.0",
      data: { content: { title: "Starter", elementId: "starter" } },
    });
  });

  it("answers a time picker with the selected timeslot", () => {
    const model = parseInteractive(
      template("TimePicker", {
        title: "When?",
        timeslots: [{ date: "2026-11-26T09:00:00Z", duration: 30 }],
      }),
    );
    const response = JSON.parse(buildInteractiveResponse(model, model.timeslots[0]));
    expect(response.templateType).toBe("TimePicker");
    expect(response.data.content.selectedTimeslots).toEqual([
      { date: "2026-11-26T09:00:00Z", duration: 30 },
    ]);
    expect(response.data.content.title).toContain("30 min");
  });

  it("words a timeslot in the chat's language", async () => {
    const { loadLocale } = await import("../src/i18n/index.js");
    const { formatTimeslot } = await import("../src/chat/interactive.js");
    await loadLocale("de");
    try {
      const slot = { date: "2026-11-26T09:00:00Z", duration: 30 };
      const when = new Date(slot.date).toLocaleString("de", {
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      });
      expect(formatTimeslot(slot)).toBe(`${when} (30 Min.)`);
    } finally {
      await loadLocale("en");
    }
  });

  it("keeps a carousel panel's template identifier", () => {
    const model = parseInteractive(
      template("Carousel", {
        title: "T",
        elements: [
          {
            templateType: "Panel",
            templateIdentifier: "p1",
            data: { content: { title: "P", elements: [{ title: "Go" }] } },
          },
        ],
      }),
    );
    const panel = model.panels[0];
    expect(JSON.parse(buildInteractiveResponse(panel, panel.elements[0]))).toMatchObject({
      templateIdentifier: "p1",
      templateType: "Panel",
    });
  });

  it("round-trips the title shown in the customer's bubble", () => {
    const model = parseInteractive(listPicker);
    expect(responseTitle(buildInteractiveResponse(model, model.elements[1]))).toBe("Team");
    expect(responseTitle("garbage")).toBe("(selection)");
  });
});
