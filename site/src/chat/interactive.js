// Parses Amazon Connect interactive messages (content type ...message.interactive; templates
// ListPicker, TimePicker, Panel, QuickReply, Carousel per the admin guide "Add interactive
// messages") into a plain model the UI renders, and builds the customer's response.
import { currentLanguage, t } from "../i18n/index.js";

export const TEMPLATE_TYPES = Object.freeze([
  "ListPicker",
  "TimePicker",
  "Panel",
  "QuickReply",
  "Carousel",
]);
const MAX_TEXT = 400;

function text(value) {
  return typeof value === "string" ? value.slice(0, MAX_TEXT) : "";
}

function imageUrl(content) {
  const url = content?.imageData;
  if (content?.imageType && content.imageType !== "URL") return "";
  // Only https images: anything else (data:, javascript:, http) is dropped.
  return typeof url === "string" && /^https:\/\//i.test(url) ? url : "";
}

function parseElements(elements) {
  if (!Array.isArray(elements)) return [];
  return elements
    .filter((e) => e && typeof e === "object" && text(e.title))
    .map((e, index) => ({
      id: typeof e.id === "string" ? e.id : String(index),
      title: text(e.title),
      subtitle: text(e.subtitle),
      imageUrl: imageUrl(e),
      imageDescription: text(e.imageDescription),
    }));
}

function parseTimeslots(timeslots) {
  if (!Array.isArray(timeslots)) return [];
  return timeslots
    .filter((slot) => slot && typeof slot.date === "string" && !Number.isNaN(Date.parse(slot.date)))
    .map((slot) => ({
      date: slot.date,
      duration: Number.isFinite(slot.duration) ? slot.duration : null,
    }));
}

/**
 * An interactive message as the conversation view draws it.
 * @typedef {{id: string, title: string, subtitle: string, imageUrl: string, imageDescription: string}} InteractiveElement
 * @typedef {{date: string, duration: number|null}} Timeslot
 * @typedef {object} InteractiveModel
 * @property {string} templateType
 * @property {string} title
 * @property {string} subtitle
 * @property {string} imageUrl
 * @property {string} imageDescription
 * @property {InteractiveElement[]} elements
 * @property {Timeslot[]} timeslots
 * @property {InteractiveModel[]} panels
 * @property {number|null} [timeZoneOffset]
 * @property {string} [templateIdentifier]
 */

/** @returns {InteractiveModel|null} */
function parseContent(templateType, content) {
  if (!content || typeof content !== "object" || !text(content.title)) return null;
  /** @type {InteractiveModel} */
  const model = {
    templateType,
    title: text(content.title),
    subtitle: text(content.subtitle),
    imageUrl: imageUrl(content),
    imageDescription: text(content.imageDescription),
    elements: [],
    timeslots: [],
    panels: [],
  };
  if (templateType === "TimePicker") {
    model.timeslots = parseTimeslots(content.timeslots);
    model.timeZoneOffset = Number.isFinite(content.timeZoneOffset) ? content.timeZoneOffset : null;
    if (model.timeslots.length === 0) return null;
  } else if (templateType === "Carousel") {
    const panels = Array.isArray(content.elements) ? content.elements : [];
    model.panels = panels
      .map((panel) => parseTemplate(panel))
      .filter((panel) => panel && panel.templateType !== "Carousel" && panel.elements.length > 0);
    if (model.panels.length === 0) return null;
  } else {
    model.elements = parseElements(content.elements);
    if (model.elements.length === 0) return null;
  }
  return model;
}

function parseTemplate(template) {
  if (!template || typeof template !== "object") return null;
  const { templateType } = template;
  if (!TEMPLATE_TYPES.includes(templateType)) return null;
  const model = parseContent(templateType, template.data?.content);
  if (model && template.templateIdentifier)
    model.templateIdentifier = String(template.templateIdentifier);
  return model;
}

/** JSON text from the wire → model, or null when it is not a template we can show. */
export function parseInteractive(content) {
  let template;
  try {
    template = typeof content === "string" ? JSON.parse(content) : content;
  } catch {
    return null;
  }
  return parseTemplate(template);
}

/**
 * The customer's answer, sent as ...message.interactive.response. `selection` is an element
 * ({id, title}) or, for a TimePicker, a timeslot ({date, duration}).
 */
export function buildInteractiveResponse(model, selection) {
  const isTime = model.templateType === "TimePicker";
  const title = isTime ? formatTimeslot(selection) : selection.title;
  const content = { title };
  if (isTime) {
    content.selectedTimeslots = [{ date: selection.date, duration: selection.duration }];
  } else {
    content.elementId = selection.id;
  }
  const response = {
    templateType: model.templateType,
    version: "1.0",
    data: { content },
  };
  if (model.templateIdentifier) response.templateIdentifier = model.templateIdentifier;
  return JSON.stringify(response);
}

/** The text a response stands for (what the customer's bubble shows). */
export function responseTitle(content) {
  try {
    const parsed = JSON.parse(content);
    return text(parsed?.data?.content?.title) || t("interactive.selection");
  } catch {
    return t("interactive.selection");
  }
}

export function formatTimeslot(slot, locale = currentLanguage()) {
  const date = new Date(slot.date);
  const when = date.toLocaleString(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
  return slot.duration ? t("interactive.duration", { when, minutes: slot.duration }) : when;
}
