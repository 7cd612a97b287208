// Renders an interactive message model as buttons; a choice is reported once, then the
// buttons are disabled so the visitor cannot answer the same prompt twice.
import { formatTimeslot } from "../interactive.js";
import { el } from "./element.js";

function image(url, description) {
  return url
    ? el("img", {
        src: url,
        alt: description || "",
        loading: "lazy",
        referrerpolicy: "no-referrer",
      })
    : null;
}

function choiceButton(label, subtitle, onChoose) {
  return el(
    "button",
    { type: "button", className: "choice", onClick: onChoose },
    el("span", { className: "choice-title" }, label),
    subtitle ? el("span", { className: "choice-subtitle" }, subtitle) : null,
  );
}

function renderCard(model, choose) {
  const options =
    model.templateType === "TimePicker"
      ? model.timeslots.map((slot) =>
          choiceButton(formatTimeslot(slot), "", () => choose(model, slot)),
        )
      : model.elements.map((element) =>
          el(
            "li",
            {},
            image(element.imageUrl, element.imageDescription),
            choiceButton(element.title, element.subtitle, () => choose(model, element)),
          ),
        );
  const list =
    model.templateType === "TimePicker"
      ? el("div", { className: "choices", role: "group", "aria-label": model.title }, options)
      : el("ul", { className: "choices", "aria-label": model.title }, options);
  return el(
    "div",
    { className: `interactive interactive-${model.templateType.toLowerCase()}` },
    image(model.imageUrl, model.imageDescription),
    el("p", { className: "interactive-title" }, model.title),
    model.subtitle ? el("p", { className: "interactive-subtitle" }, model.subtitle) : null,
    list,
  );
}

/** @param {(model, selection) => void} onSelect */
export function renderInteractive(model, onSelect) {
  let container;
  const choose = (chosenModel, selection) => {
    for (const button of container.querySelectorAll("button.choice")) button.disabled = true;
    onSelect(chosenModel, selection);
  };
  if (model.templateType === "Carousel") {
    container = el(
      "div",
      { className: "interactive interactive-carousel" },
      el("p", { className: "interactive-title" }, model.title),
      el(
        "div",
        { className: "carousel", role: "group", "aria-label": model.title, tabindex: "0" },
        model.panels.map((panel) => renderCard(panel, choose)),
      ),
    );
  } else {
    container = renderCard(model, choose);
  }
  return container;
}
