"""Weight of the widget site and time from the launcher to a ready pre-chat form.

Sizes are of the built `site/dist` (run `make site` first), gzipped at level 9 as a CDN would
serve them. "Chat UI first load" is every file chat.html pulls in: its scripts and styles and
every chunk they import, including ChatJS (loaded right after the form is ready) and the one
locale the visitor's language needs; chunks only an action loads (the other locales, the
transcript writer, the formatting toolbar, the markdown renderer that the first markdown
message loads) are listed apart.
Budgets (issues 4 and 11): widget.js <= 3 KB gz; chat UI first load <= 120 KB gz with ChatJS,
in every language.

Time to ready form: headless Chromium on local mode. From a click on the launcher of the demo
host page to the chat frame's "ready" message (sent once the form is drawn), as a ratio
against loading a small no-cache document from the same site server into an iframe of the same
page: same browser, same server, same run, alternated, cold cache per run.
Run: .venv/bin/python -m bench.site_weight
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ._report import print_table

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "site" / "dist"
WIDGET_BUDGET = 3 * 1024
FIRST_LOAD_BUDGET = 120 * 1024
READY_RUNS = int(os.environ.get("BENCH_READY_RUNS", "7"))

# AWS's prebuilt widget: amazon-connect-chat-interface.js as AWS's open-source repository
# github.com/amazon-connect/amazon-connect-chat-interface keeps it built, local-testing/
# (commit 40df506, "Add support for Lex streaming messages (#335)"): 2,345,769 bytes,
# 578,393 bytes at gzip -9, measured once from that file (issue 4 quotes ~2.3 MB / ~585 KB gz).
# Not vendored: measured here only if the integrator put a copy in site/public/.
AWS_PREBUILT_BYTES = 2_345_769
AWS_PREBUILT_GZIP = 578_393
AWS_PREBUILT_SOURCE = "source: amazon-connect-chat-interface@40df506"
USER_SUPPLIED_PREBUILT = ROOT / "site" / "public" / "amazon-connect-chat-interface.js"

LOCALES = sorted(p.stem for p in (ROOT / "site" / "src" / "i18n" / "locales").glob("*.json"))
# Chunks the chat page fetches only on an action or a setting (issue 11): Vite names each after
# its module.
ACTION_CHUNKS = ("transcript-writer", "format-toolbar", "markdown")
HASHED_CHUNK = re.compile(r"(.+)-[\w-]{8}\.(?:js|css)")


def chunk_module(path: Path) -> str:
    """The module a hashed chunk was built from: "pt-BR-B3QogrQE.js" -> "pt-BR" (Vite's hash
    is 8 URL-safe characters, "-" among them)."""
    match = HASHED_CHUNK.fullmatch(path.name)
    return match.group(1) if match else path.stem


CHUNK_REFERENCE = re.compile(r"""["'`](\./|/assets/|assets/)?([\w.-]+\.(?:js|css))["'`]""")


@dataclass(frozen=True)
class Asset:
    path: Path
    raw: int
    gz: int

    @property
    def name(self) -> str:
        return self.path.relative_to(DIST).as_posix()


def measure(path: Path) -> Asset:
    data = path.read_bytes()
    return Asset(path, len(data), len(gzip.compress(data, compresslevel=9)))


class _PageAssets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.refs.append(values["src"] or "")
        if tag == "link" and values.get("rel") in {"stylesheet", "modulepreload"}:
            self.refs.append(values.get("href") or "")


def page_tags(page: str = "chat.html") -> list[Path]:
    """Files the page's own tags load: what the pre-chat form waits for (Vite lists static
    imports as tags; dynamically imported chunks are not among them)."""
    parser = _PageAssets()
    parser.feed((DIST / page).read_text())
    return [DIST / ref.lstrip("./") for ref in parser.refs if not ref.startswith("http")]


def on_demand(path: Path, language: str) -> bool:
    module = chunk_module(path)
    return module in ACTION_CHUNKS or (module in LOCALES and module != language)


def first_load(page: str = "chat.html", language: str = "en") -> list[Asset]:
    """The page and everything it loads in `language`: its tags, then chunks named inside the
    scripts, except those only an action or another language loads."""
    html_path = DIST / page
    pending = page_tags(page)
    seen: dict[Path, Asset] = {html_path: measure(html_path)}
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file() or on_demand(path, language):
            continue
        seen[path] = measure(path)
        if path.suffix == ".js":
            for match in CHUNK_REFERENCE.finditer(path.read_text(errors="replace")):
                candidate = DIST / "assets" / match.group(2)
                if candidate.is_file() and candidate not in seen:
                    pending.append(candidate)
    return sorted(seen.values(), key=lambda a: -a.gz)


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def on_demand_assets() -> list[Asset]:
    return sorted(
        (measure(p) for p in (DIST / "assets").glob("*.js") if on_demand(p, "")),
        key=lambda a: -a.gz,
    )


def weight_rows() -> tuple[list[list[object]], dict[str, int]]:
    widget = measure(DIST / "widget.js")
    assets = first_load()
    by_language = {code: sum(a.gz for a in first_load(language=code)) for code in LOCALES}
    heaviest = max(by_language, key=lambda code: by_language[code])
    total_raw = sum(a.raw for a in assets)
    total_gz = sum(a.gz for a in assets)
    chatjs = [a for a in assets if a.path.name.startswith("amazon-connect-chat")]
    chatjs_gz = sum(a.gz for a in chatjs)
    critical_paths = {DIST / "chat.html", *page_tags()}
    critical = [a for a in assets if a.path in critical_paths]
    rows: list[list[object]] = [
        [
            "widget.js loader",
            kb(widget.raw),
            kb(widget.gz),
            "<= 3.0 KB gz",
            "ok" if widget.gz <= WIDGET_BUDGET else "OVER",
        ],
        [
            "chat UI first load (all files)",
            kb(total_raw),
            kb(total_gz),
            "<= 120.0 KB gz",
            "ok" if total_gz <= FIRST_LOAD_BUDGET else "OVER",
        ],
        [
            f"chat UI first load, heaviest language ({heaviest})",
            "",
            kb(by_language[heaviest]),
            "<= 120.0 KB gz",
            "ok" if by_language[heaviest] <= FIRST_LOAD_BUDGET else "OVER",
        ],
        [
            "  of which the form waits for",
            kb(sum(a.raw for a in critical)),
            kb(sum(a.gz for a in critical)),
            "chat.html + its tags; the rest loads after",
            "",
        ],
        [
            "  of which ChatJS 5.0.0",
            kb(sum(a.raw for a in chatjs)),
            kb(chatjs_gz),
            f"{chatjs_gz / total_gz:.0%} of first load",
            "",
        ],
        [
            "  of which our UI",
            kb(total_raw - sum(a.raw for a in chatjs)),
            kb(total_gz - chatjs_gz),
            "",
            "",
        ],
    ]
    for asset in assets:
        rows.append([f"    {asset.name}", kb(asset.raw), kb(asset.gz), "", ""])
    rows.append(["loaded on demand (not in first load)", "", "", "", ""])
    for asset in on_demand_assets():
        rows.append([f"    {asset.name}", kb(asset.raw), kb(asset.gz), "", ""])
    rows.append(
        [
            "AWS prebuilt widget bundle",
            kb(AWS_PREBUILT_BYTES),
            kb(AWS_PREBUILT_GZIP),
            f"ours = {total_gz / AWS_PREBUILT_GZIP:.2f} x ({AWS_PREBUILT_SOURCE})",
            "",
        ]
    )
    if USER_SUPPLIED_PREBUILT.is_file():
        supplied = measure(USER_SUPPLIED_PREBUILT)
        rows.append(
            [
                "  measured: site/public copy",
                kb(supplied.raw),
                kb(supplied.gz),
                f"ours = {total_gz / supplied.gz:.2f} x",
                "",
            ]
        )
    return rows, {
        "widget_gz": widget.gz,
        "first_load_gz": total_gz,
        "first_load_heaviest_gz": by_language[heaviest],
        "chatjs_gz": chatjs_gz,
    }


_BLANK_JS = """async (url) => {
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  const start = performance.now();
  frame.src = url;
  document.body.append(frame);
  await loaded;
  const elapsed = performance.now() - start;
  frame.remove();
  return elapsed;
}"""

_READY_JS = """async (siteOrigin) => {
  const ready = new Promise((resolve) => window.addEventListener('message', (event) => {
    if (event.origin === siteOrigin && event.data && event.data.type === 'ready') resolve();
  }));
  const launcher = document.querySelector('[data-testid="chat-launcher"]');
  const start = performance.now();
  launcher.click();
  await ready;
  return performance.now() - start;
}"""


def time_to_ready_form(runs: int = READY_RUNS) -> tuple[list[list[object]], str | None]:
    """Launcher click → ready form, against a blank same-server iframe load; (rows, note)."""
    try:
        from local_mode.runner import start_background
    except ImportError as error:
        return [], f"time to ready form skipped: local mode is not importable ({error})"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        return [], f"time to ready form skipped: playwright is not installed ({error})"
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).is_file():
        return [], f"time to ready form skipped: no Chromium at {chromium} (set CHROMIUM_PATH)"
    local = start_background()
    blank_ms: list[float] = []
    ready_ms: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            try:
                for run in range(runs):
                    # A fresh context per run: cold HTTP cache, no sessionStorage left over.
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(local.host_url + "/")
                    page.wait_for_selector('[data-testid="chat-launcher"]')
                    blank_url = f"{local.site_url}/config.json?blank={run}-{time.time_ns()}"
                    if run % 2 == 0:
                        blank_ms.append(page.evaluate(_BLANK_JS, blank_url))
                        ready_ms.append(page.evaluate(_READY_JS, local.site_url))
                    else:
                        ready_ms.append(page.evaluate(_READY_JS, local.site_url))
                        blank_ms.append(page.evaluate(_BLANK_JS, blank_url))
                    context.close()
            finally:
                browser.close()
    finally:
        local.stop()
    blank = statistics.median(blank_ms)
    ready = statistics.median(ready_ms)
    rows = [
        ["blank page from the site server (baseline)", f"{blank:.1f} ms", "1.00 x"],
        ["launcher click -> ready pre-chat form", f"{ready:.1f} ms", f"{ready / blank:.2f} x"],
    ]
    return rows, None


def main() -> None:
    if not (DIST / "widget.js").is_file() or not (DIST / "chat.html").is_file():
        print(f"site/dist is not built ({DIST}): run `make site` first")
        return
    rows, _ = weight_rows()
    print_table(["what", "raw", "gzip -9", "budget / note", "status"], rows)
    print()
    ready_rows, note = time_to_ready_form()
    if note:
        print(note)
    else:
        print(f"Time to ready form: median of {READY_RUNS} cold runs, headless Chromium")
        print_table(["what", "median", "ratio"], ready_rows)


if __name__ == "__main__":
    main()
