"""The local dev server: Flask in front of the very Lambda handlers, with moto for AWS.

`make serve` runs `python -m partnerapp_infra.local.devserver`. Routes come from template.yaml
through the local gateway; the scheduled functions (outbox sweep, webhooks, lifecycle) run
every second or ten, as their schedules would. Any other GET is a file of the built
help-center site (build/site, or PARTNERAPP_SITE_DIR), as CloudFront would serve it from S3,
with the pages' security headers.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request, send_file
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

from partnerapp.web.headers import PAGE_SECURITY_HEADERS
from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local import outbox
from partnerapp_infra.local.apigw import HttpRequest
from partnerapp_infra.local.demo import seed_demo_partner
from partnerapp_infra.local.gateway import LocalGateway, invoke

SWEEP_INTERVAL_SECONDS = 1.0
# What EventBridge runs on a schedule in AWS, run here often so a change shows at once.
LOCAL_SCHEDULES = {
    "OutboxSweepFunction": SWEEP_INTERVAL_SECONDS,
    "WebhooksFunction": 1.0,
    "LifecycleFunction": 10.0,
}
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's own limit; the API refuses > 64 KB itself


class AnyPath(PathConverter):
    """Werkzeug's `path`, with line breaks too (its `.` stops at one)."""

    regex = r"(?s:[^/].*?)"


def site_directory() -> Path:
    from partnerapp_infra.site.builder import DEFAULT_OUT, OUT_ENV

    return Path(os.environ.get(OUT_ENV) or DEFAULT_OUT)


def static_file(site: Path, path: str) -> Response | None:
    """The built site's file for a URL path (`/` and `/x/` mean their index.html), or None."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    found = safe_join(str(site), relative)
    if found is None or not Path(found).is_file():
        return None
    response = send_file(found, max_age=0)  # locally every edit shows at once
    response.headers["Cache-Control"] = "no-cache"
    return response


def not_found_page(site: Path) -> Response | None:
    page = site / "404.html"
    return Response(page.read_bytes(), status=404, mimetype="text/html") if page.is_file() else None


def create_app(endpoint: str, site: Path | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    gateway = LocalGateway()
    site = site or site_directory()

    @app.get("/_dev/outbox.json")
    def outbox_json() -> Any:
        return jsonify([_public(e) for e in outbox.sent_emails(endpoint)])

    @app.get("/_dev/outbox")
    def outbox_page() -> Response:
        page = Response(outbox.page(outbox.sent_emails(endpoint)), mimetype="text/html")
        page.headers["Content-Security-Policy"] = outbox.PAGE_CSP
        return page

    # Every method and every path goes to the gateway, as in AWS: Flask would otherwise answer
    # OPTIONS itself (advertising methods the API does not have) and miss paths with a line
    # break in them (its `path` converter stops at one).
    app.url_map.converters["anything"] = AnyPath
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    @app.route("/", defaults={"path": ""}, methods=methods, provide_automatic_options=False)
    @app.route("/<anything:path>", methods=methods, provide_automatic_options=False)
    def through_gateway(path: str) -> Response:
        if request.method == "GET" and gateway.match("GET", request.path) is None:
            page = static_file(site, request.path)
            if page is None and not request.path.startswith(("/v2/", "/web/")):
                page = not_found_page(site)
            if page is not None:
                return page
        answer = gateway.handle(
            HttpRequest(
                method=request.method,
                path=request.path,
                query_string=request.query_string.decode(),
                headers=list(request.headers.items()),
                body=request.get_data(),
                source_ip=request.remote_addr or "127.0.0.1",
            )
        )
        response = Response(answer.body, status=answer.status)
        # Flask gives every response `text/html`; the API's answer says its own type, or
        # (a 204) has none, as the gateway sends it.
        del response.headers["Content-Type"]
        for name, value in answer.headers.items():
            response.headers[name] = value
        for cookie in answer.cookies:
            response.headers.add("Set-Cookie", cookie)
        return response

    @app.after_request
    def log_requests(response: Response) -> Response:
        print(f"{request.method} {request.path} {response.status_code}", flush=True)
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        # What CloudFront's response-headers policy adds in AWS; the API's own answers
        # already carry theirs (a stricter CSP for JSON), which are kept.
        for name, value in PAGE_SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def _public(email: dict[str, Any]) -> dict[str, Any]:
    return {key: email[key] for key in ("to", "subject", "text", "html", "sent_at", "headers", "tags")}


def start_sweeper(
    stop: threading.Event, function: str = "OutboxSweepFunction", interval: float = SWEEP_INTERVAL_SECONDS
) -> threading.Thread:
    """Run a scheduled function (the outbox sweep by default) every `interval` seconds, as
    EventBridge would on its schedule."""

    def loop() -> None:
        while not stop.wait(interval):
            try:
                invoke(function, {"source": "aws.events", "detail-type": "Scheduled Event"})
            except Exception as error:  # keep going: a failed round is retried next time
                print(f"{function} failed: {type(error).__name__}", flush=True)

    thread = threading.Thread(target=loop, name=function, daemon=True)
    thread.start()
    return thread


def start_emulator() -> str:
    """Use AWS_ENDPOINT_URL if set, else start moto on LOCAL_AWS_PORT (4566)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        return endpoint.rstrip("/")
    from moto.server import ThreadedMotoServer

    port = int(os.environ.get("LOCAL_AWS_PORT", "4566"))
    # moto and Flask share werkzeug's request log; the emulator's calls would drown the
    # dev server's own lines, which `log_requests` prints instead.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    local_stack.serialize_emulated_dynamodb()
    ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False).start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    return endpoint


def main() -> None:
    port = int(os.environ.get("PORT", "8000"))
    for name, value in local_stack.fake_credentials().items():
        os.environ.setdefault(name, value)
    endpoint = start_emulator()
    local_stack.bootstrap(site_url=f"http://127.0.0.1:{port}")
    partner_id, token = seed_demo_partner(os.environ.get("PARTNERAPP_DEMO_TOKEN"))
    stop = threading.Event()
    for function, interval in LOCAL_SCHEDULES.items():
        start_sweeper(stop, function, interval)
    print(f"Local AWS emulator: {endpoint}", flush=True)
    print(f"Demo partner {partner_id}; API token: {token}", flush=True)
    site = site_directory()
    if not (site / "index.html").is_file():
        print(f"No built site in {site}: run `make site` for the help-center pages.", flush=True)
    print(f"Partner App on http://127.0.0.1:{port}  (outbox: /_dev/outbox)", flush=True)
    create_app(endpoint).run(host="127.0.0.1", port=port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
