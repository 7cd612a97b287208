// widget.js: the one tag a host page adds. Built as a stable-named classic script.
import { installWidget } from "./host-api.js";

// currentScript is null when a tag manager evaluates the code; then find our tag by name.
const script = document.currentScript ?? document.querySelector('script[src$="/widget.js"]');
const start = () => installWidget(window, document, script.src);
if (document.body) start();
else document.addEventListener("DOMContentLoaded", start);
