"""A webhook receiver for tests: a real HTTP server on 127.0.0.1 in a thread.

`Receiver(script=[(500, 0), (200, 0)])` answers the first request 500 and the next 200; `(200, 5)`
sleeps five seconds before answering. When `secret` is given it verifies every request with the
`standardwebhooks` package (as a partner's receiver would) and dedupes on webhook-id.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self, script=(), *, default=(200, 0.0), secret: str | None = None):
        self.script = list(script)
        self.default = default
        self.secret = secret
        self.requests: list[dict] = []
        self.processed_ids: list[str] = []
        self.verification_errors: list[str] = []
        self.arrived = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.requests.append({"headers": headers, "body": raw, "path": self.path})
                    status, sleep = receiver.script.pop(0) if receiver.script else receiver.default
                    receiver._verify(raw, headers)
                receiver.arrived.set()
                if sleep:
                    time.sleep(sleep)
                if 200 <= status < 300:
                    with receiver._lock:
                        msg_id = headers.get("webhook-id", "")
                        if msg_id not in receiver.processed_ids:  # dedupe on webhook-id
                            receiver.processed_ids.append(msg_id)
                body = json.dumps({"status": status}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client (a killed worker) went away

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _verify(self, raw: bytes, headers: dict) -> None:
        if self.secret is None:
            return
        try:
            Webhook(self.secret).verify(raw, headers)
        except WebhookVerificationError as exc:
            self.verification_errors.append(str(exc))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/agri"

    def bodies(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
