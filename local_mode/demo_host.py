"""A plain page on another origin that embeds the widget with the one documented tag."""

from __future__ import annotations

import html

from aiohttp import web

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo host page (local mode)</title>
</head>
<body>
<h1>Demo host page</h1>
<p>This page stands for your website, on a different origin ({host}) from the widget
({site}). The chat launcher comes from the one tag below.</p>
<pre>&lt;script src="{site}/widget.js" async&gt;&lt;/script&gt;</pre>
<h2>Host events</h2>
<ol id="host-events"></ol>
<script>
window.ConnectChat=window.ConnectChat||function(){{(ConnectChat.q=ConnectChat.q||[]).push(arguments)}};
ConnectChat("setDisplayName", "Demo visitor");
ConnectChat("setAttributes", {{"topic": "Billing"}});
// What analytics or a CRM would hear (docs/embedding.md, "Host events").
["chatStarted", "agentJoined", "message", "chatEnded", "unreadChanged", "opened", "closed",
 "error"].forEach(function (name) {{
  ConnectChat("on", name, function (payload) {{
    (window.hostEvents = window.hostEvents || []).push([name, payload]);
    var item = document.createElement("li");
    item.textContent = name + " " + JSON.stringify(payload);
    document.getElementById("host-events").append(item);
  }});
}});
</script>
<script src="{site}/widget.js" async></script>
</body>
</html>
"""


class DemoHost:
    def __init__(self, site_url: str, host_url: str) -> None:
        self.page = PAGE.format(site=html.escape(site_url), host=html.escape(host_url))

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._page)
        app.router.add_get("/blank.html", self._blank)
        return app

    async def _blank(self, request: web.Request) -> web.Response:
        """An empty page on the host origin, for tests that inject their own scripts."""
        return web.Response(
            text='<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>blank</title></head><body></body></html>",
            content_type="text/html",
        )

    async def _page(self, request: web.Request) -> web.Response:
        return web.Response(
            text=self.page, content_type="text/html", headers={"Cache-Control": "no-cache"}
        )
