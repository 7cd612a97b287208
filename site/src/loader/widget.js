// widget.js: the one tag a host page adds. Built as a stable-named classic script.
import { installWidget } from "./host-api.js";

const script = document.currentScript;
const start = () => installWidget(window, document, script.src);
if (document.body) start();
else document.addEventListener("DOMContentLoaded", start);
