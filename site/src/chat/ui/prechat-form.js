// The pre-chat form: the visitor's name plus the configured fields, each mapped to a contact
// attribute the stack allows. Host-supplied values (setDisplayName/setAttributes) prefill it.
import { localize, localizeAttribute } from "../../i18n/dom.js";
import { t } from "../../i18n/index.js";
import { el } from "./element.js";

export function collectPreChat(form, fields) {
  const data = new FormData(form);
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
          field.options.map((option) => el("option", { value: option, selected: option === value }, option)),
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
    el("label", { for: id }, field.label, field.required ? el("span", { "aria-hidden": "true" }, " *") : null),
    control,
  );
}

/**
 * @param {{fields, displayName?, attributes?, previous?, persistentChat: boolean, onSubmit}} options
 */
export function renderPreChatForm({ fields, displayName = "", attributes = {}, previous, persistentChat, onSubmit }) {
  const form = el(
    "form",
    { className: "prechat", novalidate: true },
    localize(el("p", { className: "intro" }), "prechat.intro"),
    el(
      "div",
      { className: "field" },
      el("label", { for: "prechat-name" }, localize(el("span"), "prechat.name"), el("span", { "aria-hidden": "true" }, " *")),
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
          el("input", { type: "checkbox", id: "prechat-continue", name: "continuePrevious", checked: true }),
          localize(el("label", { for: "prechat-continue" }), "prechat.continue"),
        )
      : null,
    el("p", { className: "form-error", role: "alert", id: "prechat-error" }),
    localize(el("button", { type: "submit", className: "primary" }), "prechat.start"),
  );
  localizeAttribute(form, "aria-label", "prechat.label");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const error = form.querySelector("#prechat-error");
    const invalid = [...form.elements].find((control) => control.willValidate && !control.checkValidity());
    if (invalid) {
      const label = form.querySelector(`label[for="${invalid.id}"]`)?.firstChild?.textContent ?? t("prechat.thisField");
      error.textContent = invalid.validity.valueMissing
        ? t("prechat.required", { label })
        : t("prechat.invalid", { label, detail: invalid.validationMessage || t("prechat.checkValue") });
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

export function setPreChatBusy(form, busy) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = busy;
  localize(button, busy ? "prechat.starting" : "prechat.start");
  form.setAttribute("aria-busy", busy ? "true" : "false");
}
