// The pre-chat form: the visitor's name plus the configured fields, each mapped to a contact
// attribute the stack allows. Host-supplied values (setDisplayName/setAttributes) prefill it.
import { localize, localizeAttribute } from "../../i18n/dom.js";
import { currentLanguage, t } from "../../i18n/index.js";
import { el } from "./element.js";

/**
 * @param {HTMLFormElement} form
 * @param {readonly {attribute: string}[]} fields
 * @returns {{displayName: string, attributes: Record<string, string>, continuePrevious: boolean}}
 */
export function collectPreChat(form, fields) {
  const data = new FormData(form);
  /** @type {Record<string, string>} */
  const attributes = {};
  for (const field of fields) {
    const value = String(data.get(`attr-${field.attribute}`) ?? "").trim();
    if (value) attributes[field.attribute] = value;
  }
  return {
    displayName: String(data.get("displayName") ?? "").trim(),
    attributes,
    continuePrevious: data.get("continuePrevious") === "on",
  };
}

// Keys like "constructor" are valid attribute names; an empty map must not answer with
// Object's members.
function ownValue(map, key) {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function fieldControl(field, value) {
  const id = `prechat-${field.attribute}`;
  const common = { id, name: `attr-${field.attribute}`, required: field.required };
  const control =
    field.type === "select"
      ? el(
          "select",
          common,
          field.required ? null : el("option", { value: "" }, "—"),
          field.options.map((option) =>
            el("option", { value: option, selected: option === value }, option),
          ),
        )
      : el("input", {
          ...common,
          type: field.type,
          value: value ?? "",
          autocomplete: field.type === "email" ? "email" : "off",
          maxlength: 1024,
        });
  return el(
    "div",
    { className: "field" },
    el(
      "label",
      { for: id },
      field.label,
      field.required ? el("span", { "aria-hidden": "true" }, " *") : null,
    ),
    control,
  );
}

/**
 * When a saved chat ended, as a visitor reads it: the time alone today, else day and time.
 * @param {number} endedAt ms since the epoch
 * @param {number} [now]
 * @param {string} [locale]
 * @returns {string}
 */
export function formatSavedChatTime(endedAt, now = Date.now(), locale = currentLanguage()) {
  const ended = new Date(endedAt);
  const sameDay = ended.toDateString() === new Date(now).toDateString();
  /** @type {Intl.DateTimeFormatOptions} */
  const time = { hour: "2-digit", minute: "2-digit" };
  return sameDay
    ? ended.toLocaleTimeString(locale, time)
    : ended.toLocaleString(locale, { weekday: "short", day: "numeric", month: "short", ...time });
}

/**
 * The offer to continue a saved chat names whose chat it is and when it was, so that on a
 * shared device nobody continues (and reads) another visitor's chat unawares.
 * @param {{displayName: string, endedAt: number}} previous
 * @param {number} [now]
 * @returns {string}
 */
export function continueLabel(previous, now = Date.now()) {
  return t(...continueLabelKey(previous, now));
}

/**
 * The catalogue key and parameters of continueLabel, so setLanguage can relabel it.
 * @param {{displayName: string, endedAt: number}} previous
 * @param {number} [now]
 * @returns {["prechat.continueNamed" | "prechat.continue", {name?: string, time: string}]}
 */
function continueLabelKey(previous, now = Date.now()) {
  const time = formatSavedChatTime(previous.endedAt, now);
  return previous.displayName
    ? ["prechat.continueNamed", { name: previous.displayName, time }]
    : ["prechat.continue", { time }];
}

/**
 * @param {object} options
 * @param {ReadonlyArray<{attribute: string, label: string, type: string, options: string[], required: boolean}>} options.fields
 * @param {string} [options.displayName]
 * @param {Record<string, string>} [options.attributes]
 * @param {{displayName: string, endedAt: number}|null} [options.previous] a fresh saved chat
 * @param {boolean} options.persistentChat
 * @param {(input: {displayName: string, attributes: Record<string, string>, continuePrevious: boolean}) => void} options.onSubmit
 * @param {() => void} [options.onForget] offered when something about the visitor is saved
 * @returns {HTMLFormElement}
 */
export function renderPreChatForm({
  fields,
  displayName = "",
  attributes = {},
  previous = null,
  persistentChat,
  onSubmit,
  onForget,
}) {
  const form = el(
    "form",
    { className: "prechat", novalidate: true },
    localize(el("p", { className: "intro" }), "prechat.intro"),
    el(
      "div",
      { className: "field" },
      el(
        "label",
        { for: "prechat-name" },
        localize(el("span"), "prechat.name"),
        el("span", { "aria-hidden": "true" }, " *"),
      ),
      el("input", {
        id: "prechat-name",
        name: "displayName",
        required: true,
        maxlength: 256,
        autocomplete: "name",
        value: displayName,
      }),
    ),
    fields.map((field) => fieldControl(field, ownValue(attributes, field.attribute))),
    previous && persistentChat
      ? el(
          "div",
          { className: "field checkbox" },
          el("input", {
            type: "checkbox",
            id: "prechat-continue",
            name: "continuePrevious",
            checked: true,
          }),
          localize(el("label", { for: "prechat-continue" }), ...continueLabelKey(previous)),
        )
      : null,
    el("p", { className: "form-error", role: "alert", id: "prechat-error" }),
    el(
      "div",
      { className: "form-actions" },
      localize(el("button", { type: "submit", className: "primary" }), "prechat.start"),
      previous && onForget
        ? localize(
            el("button", { type: "button", className: "forget", onClick: onForget }),
            "prechat.forget",
          )
        : null,
    ),
  );
  localizeAttribute(form, "aria-label", "prechat.label");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const error = form.querySelector("#prechat-error");
    const invalid = [...form.elements].find(
      (control) => control.willValidate && !control.checkValidity(),
    );
    if (invalid) {
      const label =
        form.querySelector(`label[for="${invalid.id}"]`)?.firstChild?.textContent ??
        t("prechat.thisField");
      error.textContent = invalid.validity.valueMissing
        ? t("prechat.required", { label })
        : t("prechat.invalid", {
            label,
            detail: invalid.validationMessage || t("prechat.checkValue"),
          });
      invalid.setAttribute("aria-invalid", "true");
      invalid.setAttribute("aria-describedby", "prechat-error");
      invalid.focus();
      return;
    }
    error.textContent = "";
    onSubmit(collectPreChat(form, fields));
  });
  return form;
}

/**
 * @param {HTMLFormElement} form
 * @param {boolean} busy
 */
export function setPreChatBusy(form, busy) {
  const button = form.querySelector("button[type=submit]");
  if (button instanceof HTMLButtonElement) {
    button.disabled = busy;
    localize(button, busy ? "prechat.starting" : "prechat.start");
  }
  // Forgetting while the start is on its way would save the new chat right after.
  const forget = form.querySelector("button.forget");
  if (forget instanceof HTMLButtonElement) forget.disabled = busy;
  form.setAttribute("aria-busy", busy ? "true" : "false");
}
