"""A plain page on another origin that embeds the widget with the one documented tag.

It also stands for the integrator's backend: `POST /demo-token` signs a customer JWT with this
run's key, and the page's "signed-in visitor" switch hands the widget a token provider.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from .local_guard import refuse_foreign_caller
from .local_key import LocalKey

MAX_TOKEN_REQUEST_BYTES = 8 * 1024
MAX_SUB = 128
DEMO_CUSTOMER = {
    "sub": "demo-customer-42",
    "name": "Ada Lovelace",
    # Not in the dev stack's allowedAttributes: it reaches the flow because it is signed.
    "attributes": {"loyaltyTier": "gold"},
}

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
<p><label><input type="checkbox" id="signed-in"> Signed-in visitor
({customer_name}, customer id {customer_sub}): the page's backend signs a customer token
(<code>POST /demo-token</code>) at every chat start.</label></p>
<script>
(function () {{
  var box = document.getElementById("signed-in");
  var customer = {customer_json};
  function customerToken() {{
    return fetch("/demo-token", {{
      method: "POST",
      headers: {{"Content-Type": "application/json"}},
      body: JSON.stringify(customer)
    }}).then(function (response) {{
      if (!response.ok) throw new Error("demo-token answered " + response.status);
      return response.json();
    }}).then(function (body) {{ return body.token; }});
  }}
  function apply() {{
    ConnectChat("setCustomerTokenProvider", box.checked ? customerToken : null);
  }}
  box.checked = new URLSearchParams(location.search).has("signedIn");
  box.addEventListener("change", apply);
  apply();
}})();
</script>
<script src="{site}/widget.js" async></script>
</body>
</html>
"""


class DemoHost:
    def __init__(
        self,
        site_url: str,
        host_url: str,
        key: LocalKey,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.page = PAGE.format(
            site=html.escape(site_url),
            host=html.escape(host_url),
            customer_name=html.escape(DEMO_CUSTOMER["name"]),
            customer_sub=html.escape(DEMO_CUSTOMER["sub"]),
            # Inside a <script>: "<" escaped so no value can close the element.
            customer_json=json.dumps(DEMO_CUSTOMER).replace("<", "\\u003c"),
        )
        self.key = key
        self.clock = clock
        self.own_origins = frozenset({host_url})
        port = urlsplit(host_url).port
        self.own_hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_TOKEN_REQUEST_BYTES)
        app.router.add_get("/", self._page)
        app.router.add_get("/blank.html", self._blank)
        app.router.add_post("/demo-token", self._demo_token)
        return app

    async def _demo_token(self, request: web.Request) -> web.Response:
        """`{"sub", "name", "attributes"}` -> `{"token": <customer JWT>}`."""
        refused = refuse_foreign_caller(request, self.own_origins, self.own_hosts)
        if refused is not None:
            return refused
        try:
            body = await request.json()
        except (ValueError, web.HTTPRequestEntityTooLarge):
            return _bad_request("send a JSON object {sub, name, attributes}")
        problem = _token_request_problem(body)
        if problem is not None:
            return _bad_request(problem)
        token = self.key.sign_customer_token(
            body["sub"], body.get("name"), body.get("attributes") or {}, int(self.clock())
        )
        return web.json_response({"token": token}, headers={"Cache-Control": "no-store"})

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


def _token_request_problem(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "send a JSON object {sub, name, attributes}"
    sub = body.get("sub")
    if not isinstance(sub, str) or not 1 <= len(sub) <= MAX_SUB:
        return f"sub must be a string of 1 to {MAX_SUB} characters"
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        return "name must be a string"
    attributes = body.get("attributes")
    if attributes is not None and (
        not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values())
    ):
        return "attributes must be an object of strings"
    return None


def _bad_request(message: str) -> web.Response:
    return web.json_response({"message": message}, status=400)
