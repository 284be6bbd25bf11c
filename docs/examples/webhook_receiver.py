"""A webhook receiver that verifies every delivery's signature (pip install standardwebhooks) and prints it.

It listens on 127.0.0.1, port RECEIVER_PORT (8001 unless set), and says so on standard error, or why it cannot."""

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook

webhook = Webhook(os.environ["WEBHOOK_SECRET"])  # the secret shown when the subscription was made


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            event = webhook.verify(body, dict(self.headers))  # raises unless signed with the secret, recently
        except Exception:
            self.send_response(400)
        else:  # deliveries come at least once: a repeated webhook-id is the same change, skip it
            print(self.headers["webhook-id"], event["type"], event["data"]["object_id"], flush=True)
            self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):  # one line per delivery is printed above; no access log
        pass


port = int(os.environ.get("RECEIVER_PORT", "8001"))
try:
    server = HTTPServer(("127.0.0.1", port), Receiver)
except OSError as error:
    sys.exit(f"Cannot listen on 127.0.0.1:{port}: {error.strerror}. Set RECEIVER_PORT to a free port.")
print(f"Listening on http://127.0.0.1:{port}/", file=sys.stderr, flush=True)
server.serve_forever()
