#!/usr/bin/env python3
"""notice_text.py FILE...: prints each archived notice (.eml) as one JSON line:
its purpose (from the file name), decoded subject and text body. Messages received
(archived as `-received`) are not notices and are left out."""
import email
import email.policy
import json
import os
import sys

for path in sys.argv[1:]:
    if path.endswith("-received.eml") or "-received-" in os.path.basename(path):
        continue
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    purpose = os.path.basename(path).rsplit(".", 1)[0].split("-", 1)[1].rstrip("-0123456789")
    print(json.dumps({"purpose": purpose, "subject": str(msg["Subject"]),
                      "body": body.get_content() if body else ""}, ensure_ascii=False))
