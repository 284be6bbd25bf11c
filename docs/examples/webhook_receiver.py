"""A webhook receiver that verifies every delivery's signature (pip install standardwebhooks) and prints it."""

import os
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


HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8001"))), Receiver).serve_forever()
