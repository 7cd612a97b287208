// widget.js: the one tag a host page adds. Built as a stable-named classic script.
import { installWidget } from "./host-api.js";

// currentScript is null when a tag manager evaluates the code; then find our tag by name.
/** @type {HTMLScriptElement | null} */
const script = /** @type {HTMLScriptElement | null} */ (
  document.currentScript ?? document.querySelector('script[src$="/widget.js"]')
);
const start = () => {
  if (script) installWidget(window, document, script.src);
  else console.error("ConnectChat: widget.js could not find its own <script> tag");
};
if (document.body) start();
else document.addEventListener("DOMContentLoaded", start);
