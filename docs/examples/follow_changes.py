"""Follows the change feed of a server (default: make run's) from a cursor (default: the start) and prints each
entry; --follow waits for more. Usage: follow_changes.py [URL] [CURSOR] [--follow], with $TOKEN set."""

import json
import os
import sys
import time
import urllib.request

BASE = next((arg for arg in sys.argv[1:] if arg.startswith("http")), "http://127.0.0.1:8000")
cursor = next((arg for arg in sys.argv[1:] if arg.isdigit()), "0")  # keep it to resume where you stopped
while True:
    request = urllib.request.Request(f"{BASE}/api/v1/changes?after={cursor}&limit=500")
    request.add_header("Authorization", f"Token {os.environ['TOKEN']}")
    page = json.load(urllib.request.urlopen(request))
    for change in page["changes"]:
        print(change["cursor"], change["type"], change["object_id"], change["channel"])
    cursor = page["cursor"]
    if not page["has_more"]:
        if "--follow" not in sys.argv:
            break
        time.sleep(1)
