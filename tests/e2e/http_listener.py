#!/usr/bin/python3
"""A local webhook receiver for tests: saves each POST body to DIR/N.json and
answers 200 (or the status in DIR/status if that file exists). Usage: PORT DIR"""
import http.server
import os
import sys

port, directory = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n = len([f for f in os.listdir(directory) if f.endswith(".json")])
        with open(os.path.join(directory, "%d.json" % n), "wb") as f:
            f.write(body)
        status_file = os.path.join(directory, "status")
        status = int(open(status_file).read()) if os.path.exists(status_file) else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
