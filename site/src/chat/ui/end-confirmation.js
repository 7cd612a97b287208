// "End chat?" asked in a modal dialog: the native <dialog> keeps focus inside, makes the rest
// of the page inert and closes on Escape; focus returns to the End chat button on cancel.
import { localize } from "../../i18n/dom.js";
import { el } from "./element.js";

/**
 * Asks before ending the chat; `onConfirm` runs only when the visitor confirms.
 * @param {HTMLElement} container where the dialog is attached
 * @param {{onConfirm: () => void, returnFocus: HTMLElement}} options
 * @returns {HTMLDialogElement}
 */
export function confirmEndChat(container, { onConfirm, returnFocus }) {
  const cancel = localize(
    el("button", { type: "button", className: "secondary", "data-testid": "end-cancel" }),
    "end.cancel",
  );
  const confirm = localize(
    el("button", { type: "button", className: "danger", "data-testid": "end-confirm" }),
    "end.confirm",
  );
  const dialog = /** @type {HTMLDialogElement} */ (
    el(
      "dialog",
      {
        className: "confirm",
        "aria-labelledby": "end-title",
        "aria-describedby": "end-text",
        "data-testid": "end-dialog",
      },
      localize(el("h2", { id: "end-title" }), "end.confirmTitle"),
      localize(el("p", { id: "end-text" }), "end.confirmText"),
      el("div", { className: "confirm-actions" }, cancel, confirm),
    )
  );
  let confirmed = false;
  const close = () => {
    if (typeof dialog.close === "function") {
      dialog.close();
      return;
    }
    dialog.removeAttribute("open");
    dialog.dispatchEvent(new Event("close"));
  };
  cancel.addEventListener("click", close);
  // The chat ends within the click, as it did without the dialog: browsers fire "close" a
  // task later, and a page left at once must already have saved the ended chat.
  confirm.addEventListener("click", () => {
    confirmed = true;
    close();
    onConfirm();
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (!confirmed && returnFocus.isConnected) returnFocus.focus();
  });
  container.append(dialog);
  // jsdom lacks showModal(); a real browser always has it.
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
  cancel.focus();
  return dialog;
}
