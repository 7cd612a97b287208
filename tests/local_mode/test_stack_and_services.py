"""Stack file reading, the site's config.json and headers, the API adapter, the demo host."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from local_mode_clients import DEV

from local_mode.runner import start_background
from local_mode.site_server import SiteNotBuiltError
from local_mode.stack_config import StackConfigError, load_stack

STACK_YAML = """
config:
  aws:region: eu-west-1
  connect-chat:instanceId: inst-1
  connect-chat:contactFlowId: flow-1
  connect-chat:extraContactFlowIds: [flow-2]
  connect-chat:allowedOrigins: [https://shop.example]
  connect-chat:allowedAttributes: [topic]
  connect-chat:attachmentsEnabled: false
  connect-chat:chatDurationInMinutes: 90
  connect-chat:widget:
    title: Help
    primaryColor: "#123456"
    persistentChat: false
    preChatFields:
      - {attribute: topic, label: Topic, type: text, required: true}
"""


@pytest.fixture
def built_site(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>chat</title>")
    (dist / "chat.html").write_text("<!doctype html><title>frame</title>")
    (dist / "prebuilt.html").write_text("<!doctype html><title>prebuilt</title>")
    (dist / "widget.js").write_text("/* loader */")
    (dist / "assets" / "app-abc123.js").write_text("/* app */")
    return dist


@pytest.fixture
def custom_stack(tmp_path: Path, built_site: Path):
    stack_file = tmp_path / "Pulumi.test.yaml"
    stack_file.write_text(STACK_YAML)
    stack = start_background("test", stack_file=stack_file, site_dist=built_site)
    yield stack
    stack.stop()


def fetch(url, **kwargs):
    request = urllib.request.Request(url, **kwargs)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_shipped_dev_stack_loads():
    assert DEV.instance_id and DEV.contact_flow_id and DEV.region
    assert DEV.chat_duration_in_minutes == 1500


def test_missing_stack_file_names_the_file(tmp_path):
    with pytest.raises(StackConfigError, match=r"Pulumi\.nope\.yaml is missing"):
        load_stack("nope", tmp_path / "Pulumi.nope.yaml")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("connect-chat:chatDurationInMinutes: 5", "connect-chat:chatDurationInMinutes"),
        ("connect-chat:allowedOrigins: {a: 1}", "connect-chat:allowedOrigins"),
        ("connect-chat:attachmentsEnabled: maybe", "connect-chat:attachmentsEnabled"),
        ("connect-chat:widget: [1]", "connect-chat:widget"),
    ],
)
def test_bad_stack_values_name_the_key_and_rule(tmp_path, line, key):
    path = tmp_path / "Pulumi.bad.yaml"
    lines = [x for x in STACK_YAML.splitlines() if not x.strip().startswith(key + ":")]
    cut = [x for x in lines if not x.startswith("    ")] if key.endswith("widget") else lines
    path.write_text("\n".join([*cut, "  " + line]))
    with pytest.raises(StackConfigError, match=key):
        load_stack("bad", path)


def test_widget_branding_follows_the_stacks_rules(tmp_path):
    """`make dev` refuses what `pulumi up` would, naming the file, the key and the rule."""
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text(STACK_YAML + "    position: middle\n")
    with pytest.raises(StackConfigError) as refused:
        load_stack("bad", path)
    assert str(refused.value) == (
        f"{path}: config connect-chat:widget.position = 'middle': must be one of right, left"
    )


def test_missing_instance_id_is_named(tmp_path):
    path = tmp_path / "Pulumi.x.yaml"
    path.write_text(STACK_YAML.replace("connect-chat:instanceId: inst-1", ""))
    with pytest.raises(StackConfigError, match="connect-chat:instanceId"):
        load_stack("x", path)


def test_config_json_points_at_local_services(custom_stack):
    status, headers, body = fetch(custom_stack.site_url + "/config.json")
    assert status == 200 and headers["Cache-Control"].startswith("no-cache")
    config = json.loads(body)
    assert config == {
        "apiEndpoint": custom_stack.api_url,
        "region": "eu-west-1",
        "participantEndpoint": custom_stack.emulator_url,
        "allowedOrigins": ["https://shop.example", custom_stack.host_url],
        "features": {
            "attachments": False,
            "persistentChat": False,
            "markdown": True,
            "postChatSurvey": False,
            "customerFormatting": False,
        },
        "persistentChat": {"offerForMinutes": 1440},
        "language": None,
        "chatDurationInMinutes": 90,
        "preChatFields": [
            {"attribute": "topic", "label": "Topic", "type": "text", "required": True}
        ],
        "theme": {
            "title": "Help",
            "primaryColor": "#123456",
            "position": "right",
            "width": 380,
            "height": 600,
        },
    }
    assert custom_stack.api_url.endswith("/") and not custom_stack.site_url.endswith("/")


def test_site_headers_are_production_like(custom_stack):
    status, headers, _ = fetch(custom_stack.site_url + "/chat.html")
    assert status == 200
    emulator, host = custom_stack.emulator_url, custom_stack.host_url
    ws = emulator.replace("http://", "ws://")
    api = custom_stack.api_url.rstrip("/")
    # The whole policy: the deployed one for eu-west-1 without attachments, plus the emulator.
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: blob: https: {emulator}; "
        f"connect-src 'self' {api} https://participant.connect.eu-west-1.amazonaws.com "
        f"wss://*.transport.connect.eu-west-1.amazonaws.com {emulator} {ws}; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        f"frame-ancestors 'self' https://shop.example {host}"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"].startswith("no-cache")
    _, asset_headers, _ = fetch(custom_stack.site_url + "/assets/app-abc123.js")
    assert "immutable" in asset_headers["Cache-Control"]
    assert fetch(custom_stack.site_url + "/")[0] == 200
    assert fetch(custom_stack.site_url + "/../Pulumi.dev.yaml")[0] == 404
    assert fetch(custom_stack.site_url + "/nope.js")[0] == 404


def _directives(csp: str) -> dict[str, str]:
    pairs = [d.split(" ", 1) for d in csp.split("; ")]
    assert len({name for name, _ in pairs}) == len(pairs), f"a directive repeats in {csp!r}"
    return dict(pairs)


def test_only_prebuilt_html_allows_inline_styles_as_deployed(custom_stack):
    """AWS's prebuilt bundle injects <style> elements; every other page keeps style-src 'self'."""
    pages = ("/prebuilt.html", "/chat.html", "/index.html", "/", "/widget.js", "/config.json")
    csp = {}
    for page in pages:
        status, headers, _ = fetch(custom_stack.site_url + page)
        assert status == 200, page
        csp[page] = _directives(headers["Content-Security-Policy"])
    prebuilt, chat = csp["/prebuilt.html"], csp["/chat.html"]
    assert prebuilt["style-src"] == "'self' 'unsafe-inline'"
    assert chat["style-src"] == "'self'"
    assert {k: v for k, v in prebuilt.items() if k != "style-src"} == {
        k: v for k, v in chat.items() if k != "style-src"
    }
    assert prebuilt["script-src"] == "'self'"
    for page in pages[1:]:
        assert csp[page] == chat, page
    # Interactive messages may show images from any https host; the emulator serves attachments.
    assert chat["img-src"].split(" ") == [
        "'self'",
        "data:",
        "blob:",
        "https:",
        custom_stack.emulator_url,
    ]


def test_missing_site_build_says_to_run_make_site(tmp_path):
    with pytest.raises(SiteNotBuiltError, match="make site"):
        start_background("dev", site_dist=tmp_path / "nothing")


def test_demo_host_embeds_the_widget_with_one_tag(custom_stack):
    status, _, body = fetch(custom_stack.host_url + "/")
    page = body.decode()
    assert status == 200
    assert f'<script src="{custom_stack.site_url}/widget.js" async></script>' in page
    assert "(ConnectChat.q=ConnectChat.q||[]).push(arguments)" in page


def api_post(stack, body, origin, content_type="text/plain;charset=UTF-8"):
    return fetch(
        stack.api_url,
        data=body,
        method="POST",
        headers={"Origin": origin, "Content-Type": content_type},
    )


def test_api_runs_the_real_handler_against_the_emulator(custom_stack):
    body = json.dumps({"ParticipantDetails": {"DisplayName": "Zoe"}, "Attributes": {"topic": "x"}})
    status, headers, payload = api_post(custom_stack, body.encode(), custom_stack.site_url)
    assert status == 200, payload
    assert headers["Access-Control-Allow-Origin"] == custom_stack.site_url
    result = json.loads(payload)["data"]
    contact_id = result["startChatResult"]["ContactId"]
    assert result["featurePermissions"]["ATTACHMENTS"] is False
    contacts = json.loads(fetch(custom_stack.emulator_url + "/_emulator/contacts")[2])["contacts"]
    sent = next(c for c in contacts if c["ContactId"] == contact_id)
    assert sent["InstanceId"] == "inst-1" and sent["ContactFlowId"] == "flow-1"
    assert sent["Attributes"]["topic"] == "x"


def test_survey_stack_sends_disconnect_on_customer_exit_and_tells_the_widget(tmp_path, built_site):
    stack_file = tmp_path / "Pulumi.survey.yaml"
    stack_file.write_text(
        STACK_YAML.replace(
            "    persistentChat: false\n",
            "    persistentChat: false\n    postChatSurvey: true\n"
            "    customerFormatting: true\n    language: ja\n",
        )
    )
    stack = start_background("survey", stack_file=stack_file, site_dist=built_site)
    try:
        config = json.loads(fetch(stack.site_url + "/config.json")[2])
        assert (config["features"]["postChatSurvey"], config["features"]["customerFormatting"]) == (
            True,
            True,
        )
        assert config["language"] == "ja"
        body = json.dumps({"ParticipantDetails": {"DisplayName": "Zoe"}}).encode()
        status, _, payload = api_post(stack, body, stack.site_url)
        assert status == 200, payload
        contact_id = json.loads(payload)["data"]["startChatResult"]["ContactId"]
        detail = json.loads(fetch(f"{stack.emulator_url}/_emulator/contacts/{contact_id}")[2])
        assert detail["DisconnectOnCustomerExit"] == ["AGENT"]
    finally:
        stack.stop()


def test_api_allows_stack_origin_and_refuses_others(custom_stack):
    body = json.dumps({"ParticipantDetails": {"DisplayName": "Zoe"}}).encode()
    _, headers, _ = api_post(custom_stack, body, "https://shop.example")
    assert headers["Access-Control-Allow-Origin"] == "https://shop.example"
    _, headers, _ = api_post(custom_stack, body, "https://evil.example")
    assert headers.get("Access-Control-Allow-Origin") != "https://evil.example"


def test_api_maps_emulator_throttling_to_a_json_error(custom_stack):
    fault = {"operation": "StartChatContact", "error": "ThrottlingException", "count": 3}
    fetch(custom_stack.emulator_url + "/_emulator/faults", data=json.dumps(fault).encode(),
          method="POST")  # fmt: skip
    body = json.dumps({"ParticipantDetails": {"DisplayName": "Zoe"}}).encode()
    status, headers, payload = api_post(custom_stack, body, custom_stack.site_url)
    assert status == 429
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(payload)


def test_api_preflight_and_bad_json_get_json_answers(custom_stack):
    status, headers, _ = fetch(
        custom_stack.api_url,
        method="OPTIONS",
        headers={
            "Origin": custom_stack.host_url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status in (200, 204)
    assert headers["Access-Control-Allow-Origin"] == custom_stack.host_url
    status, _, payload = api_post(custom_stack, b"{nope", custom_stack.site_url)
    assert status == 400 and json.loads(payload)


def test_adapter_builds_a_rest_v1_event_and_maps_errors_to_502(caplog):
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from local_mode.api_adapter import StartChatApi

    seen = []

    def stand_in(event, context):
        seen.append(event)
        if event["body"] == "boom":
            raise RuntimeError("handler bug")
        return {"statusCode": 201, "headers": {"X-Test": "1"}, "body": '{"ok": true}'}

    async def scenario():
        async with TestClient(TestServer(StartChatApi(stand_in).build_app())) as client:
            ok = await client.post("/", data=b"\xff\xfe", headers={"Origin": "http://x"})
            assert ok.status == 201 and ok.headers["X-Test"] == "1"
            assert "handler;dur=" in ok.headers["Server-Timing"]
            failed = await client.post("/", data=b"boom")
            assert failed.status == 502 and await failed.json() == {
                "message": "Internal server error"
            }

    asyncio.run(scenario())
    event = seen[0]
    assert event["httpMethod"] == "POST" and event["path"] == "/"
    assert event["isBase64Encoded"] is True and event["body"] == "//4="
    assert event["headers"]["Origin"] == "http://x"
    assert event["multiValueHeaders"]["Origin"] == ["http://x"]
    context = event["requestContext"]
    assert context["requestId"] and context["stage"] == "local"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert "handler bug" in caplog.text


@pytest.mark.parametrize(
    ("page", "inline_styles"), [("/chat.html", False), ("/prebuilt.html", True)]
)
def test_the_served_policy_is_the_deployed_one_with_only_the_emulator_added(
    custom_stack, page, inline_styles
):
    """One CSP: what CloudFront serves (components/content_security_policy.py) is what the
    browser tests meet, but for the local API in API Gateway's place and the emulator."""
    from components.content_security_policy import chat_page_csp

    _, headers, _ = fetch(custom_stack.site_url + page)
    emulator = custom_stack.emulator_url
    local_only = {emulator, emulator.replace("http://", "ws://")}
    served = {
        name: [source for source in sources.split(" ") if source not in local_only]
        for name, sources in _directives(headers["Content-Security-Policy"]).items()
    }
    deployed = chat_page_csp(
        api=custom_stack.api_url.rstrip("/"),
        region="eu-west-1",
        attachments_enabled=False,
        frame_ancestors=["https://shop.example", custom_stack.host_url],
        allow_inline_styles=inline_styles,
    )
    assert served == {name: sources.split(" ") for name, sources in _directives(deployed).items()}


def test_the_handler_gets_the_stack_name_as_its_metric_dimension(tmp_path):
    # The deployed function's metrics carry a per-stack dimension; local mode names its own.
    from local_mode.api_adapter import handler_environment

    path = tmp_path / "Pulumi.team-a.yaml"
    path.write_text(STACK_YAML)
    environment = handler_environment(load_stack("team-a", path), [], "http://127.0.0.1:9", "{}")
    assert environment["STACK_NAME"] == "team-a"
