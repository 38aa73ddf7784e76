#!/usr/bin/python3
"""Prints the messages of a Maildir (written by aiosmtpd's Mailbox handler) as a
JSON array, oldest first: envelope, decoded headers, text body, calendar part."""
import email
import email.policy
import json
import mailbox
import sys

out = []
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
for key in box.keys():
    raw = box.get_bytes(key)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    entry = {
        "rcpt": [r.strip() for r in str(msg.get("X-RcptTo", "")).split(",") if r.strip()],
        "mail_from": str(msg.get("X-MailFrom", "")),
        "subject": str(msg["Subject"]),
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "message_id": str(msg["Message-ID"]),
        "header_names": [k for k in msg.keys()],
        "raw_headers": raw.split(b"\r\n\r\n")[0].decode("ascii", "replace"),
        "text": "",
        "calendar": "",
        "calendar_method": "",
    }
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            entry["text"] = part.get_content()
        if part.get_content_type() == "text/calendar":
            text = part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode()
            entry["calendar"] = text.replace("\r\n ", "").replace("\n ", "")  # unfolded
            entry["calendar_method"] = part.get_param("method") or ""
    out.append((box[key].get_date(), entry["message_id"], entry))
out.sort(key=lambda t: (t[0], t[1]))
print(json.dumps([e for _, _, e in out], ensure_ascii=False, indent=1))
