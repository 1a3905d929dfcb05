"""A stand-in for GOV.UK Notify's API, on 127.0.0.1, that checks what it is sent as Notify would.

``running_notify()`` starts it (http.server in a thread, a free port) and points Resolve at it
(NOTIFY_BASE_URL, a test API key in Notify's format ``name-<service id>-<secret>``, a template id).
It implements ``POST /v2/notifications/email``: the Authorization header must be a Bearer JWT
signed (HS256) with the key's secret and issued by its service id, no older than Notify allows
(30 seconds), and the JSON body must name an e-mail address, the configured template, a
personalisation with exactly ``subject`` and ``body`` and a reference. A request that passes is
kept in ``sent`` and answered 201 with a notification id, as Notify answers; one that does not is
answered 403 or 400 with Notify's error body, and what was wrong is kept in ``problems``. Set
``answer_with`` to 400, 403, 429 or 500 to have every request refused that way instead.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from django.test import override_settings
from django.utils import timezone

#: Notify's own names for its errors, by status (docs.notifications.service.gov.uk, "Error codes")
ERRORS = {400: "BadRequestError", 403: "AuthError", 429: "RateLimitError", 500: "Exception"}


@dataclass
class Sent:
    """One request Notify took: its JSON body, and the notification id it was given."""

    body: dict[str, Any]
    id: str

    @property
    def email_address(self) -> str:
        return str(self.body["email_address"])

    @property
    def subject(self) -> str:
        return str(self.body["personalisation"]["subject"])

    @property
    def text(self) -> str:
        return str(self.body["personalisation"]["body"])

    @property
    def reference(self) -> str:
        return str(self.body["reference"])


@dataclass
class NotifyStub:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    sent: list[Sent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: set to a status (400, 403, 429, 500) to refuse every request with it
    answer_with: int | None = None
    #: every request that arrived, passed or not
    requests: int = 0
    base_url: str = ""

    @property
    def api_key(self) -> str:
        return f"resolve_test-{self.service_id}-{self.secret}"

    def to(self, address: str) -> list[Sent]:
        return [s for s in self.sent if s.email_address == address]

    def check(self, authorization: str, body: Any) -> tuple[int, str]:
        """What Notify would answer this request: (201, "") or an error status with the reason."""
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return 403, "Error: Authorization header is missing or not a Bearer token"
        try:
            claims = jwt.decode(token, key=self.secret, algorithms=["HS256"], options={"verify_iat": True})
        except jwt.InvalidTokenError as exc:
            return 403, f"Invalid token: {type(exc).__name__}"
        if claims.get("iss") != self.service_id:
            return 403, "Invalid token: not issued by this service"
        iat = claims.get("iat")
        if not isinstance(iat, int) or abs(timezone.now().timestamp() - iat) > 30:
            return 403, "Error: Your system clock must be accurate to within 30 seconds"
        if not isinstance(body, dict):
            return 400, "The body is not a JSON object"
        wrong = []
        if not isinstance(body.get("email_address"), str) or "@" not in body["email_address"]:
            wrong.append("email_address Not a valid email address")
        if body.get("template_id") != self.template_id:
            wrong.append("template_id is not this service's template")
        personalisation = body.get("personalisation")
        if not isinstance(personalisation, dict) or set(personalisation) != {"subject", "body"}:
            wrong.append("personalisation must be exactly ((subject)) and ((body))")
        elif not all(isinstance(v, str) and v.strip() for v in personalisation.values()):
            wrong.append("personalisation subject and body must be words")
        if not isinstance(body.get("reference"), str) or not body["reference"]:
            wrong.append("reference is missing")
        if wrong:
            return 400, "; ".join(wrong)
        return 201, ""


def _handler(stub: NotifyStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            stub.requests += 1
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path != "/v2/notifications/email":
                self._answer(404, {"errors": [{"error": "NotFound", "message": "Not found"}], "status_code": 404})
                return
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            status, problem = stub.check(self.headers.get("Authorization", ""), body)
            if problem:
                stub.problems.append(problem)
            elif stub.answer_with is not None:
                status, problem = stub.answer_with, "Refused as the test asked"
            if status != 201:
                error = ERRORS.get(status, "Exception")
                self._answer(status, {"errors": [{"error": error, "message": problem}], "status_code": status})
                return
            notification_id = str(uuid.uuid4())
            assert isinstance(body, dict)
            stub.sent.append(Sent(body, notification_id))
            self._answer(
                201,
                {
                    "id": notification_id,
                    "reference": body["reference"],
                    "content": {
                        "subject": body["personalisation"]["subject"],
                        "body": body["personalisation"]["body"],
                        "from_email": "resolve@notifications.service.gov.uk",
                    },
                    "uri": f"{stub.base_url}/v2/notifications/{notification_id}",
                    "template": {
                        "id": stub.template_id,
                        "version": 1,
                        "uri": f"{stub.base_url}/v2/template/{stub.template_id}",
                    },
                    "scheduled_for": None,
                },
            )

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test's output is for the test."""

    return Handler


@contextmanager
def running_notify() -> Iterator[NotifyStub]:
    """The stub, serving, with Resolve's Notify settings pointing at it."""
    stub = NotifyStub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(
            NOTIFY_API_KEY=stub.api_key, NOTIFY_EMAIL_TEMPLATE_ID=stub.template_id, NOTIFY_BASE_URL=stub.base_url
        ):
            yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
