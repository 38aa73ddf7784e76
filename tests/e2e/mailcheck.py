#!/usr/bin/python3
"""Prints the messages of a Maildir (written by aiosmtpd's Mailbox handler) as a
JSON array, oldest first: envelope, decoded headers, text body, calendar part.

Every message is read by Python's `email` package with `policy.strict`, which
raises on any defect (a malformed header, an encoded word where none may be, a
bad MIME structure): such a message makes this script fail, and so the test. A
calendar part is read by python-icalendar; its events' start and end (DTSTART plus
DURATION, or DTEND) are given as UTC instants (tests/e2e/calendar_diff.py reads TZIDs
as RFC 5545 does)."""
import email
import email.policy
import json
import mailbox
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calendar_diff import instant  # noqa: E402

import icalendar  # noqa: E402


def strict_message(raw, key):
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.strict)
        for part in msg.walk():  # headers are parsed when read: read them all
            for name, value in part.items():
                str(value)
            if part.defects:
                raise ValueError(f"defects {part.defects}")
        return msg
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        sys.exit(f"mailcheck: message {key} is not a valid message under policy.strict: {e!r}")


def calendar_events(text):
    out = []
    for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        start = instant(event["DTSTART"], None)
        end = (start + event.decoded("DURATION") if "DURATION" in event
               else instant(event["DTEND"], None))
        out.append({
            "uid": str(event.get("UID")),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "dtstamp": instant(event["DTSTAMP"], None).isoformat(),
            "rrule": event["RRULE"].to_ical().decode() if "RRULE" in event else None,
        })
    return out


out = []
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
for key in box.keys():
    raw = box.get_bytes(key)
    msg = strict_message(raw, key)
    entry = {
        "rcpt": [r.strip() for r in str(msg.get("X-RcptTo", "")).split(",") if r.strip()],
        "mail_from": str(msg.get("X-MailFrom", "")),
        "subject": str(msg["Subject"]),
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "message_id": str(msg["Message-ID"]),
        "in_reply_to": str(msg.get("In-Reply-To", "")),
        "references": str(msg.get("References", "")).split(),
        "header_names": [k for k in msg.keys()],
        "raw_headers": raw.split(b"\r\n\r\n")[0].decode("ascii", "replace"),
        "text": "",
        "calendar": "",
        "calendar_method": "",
        "calendar_events": [],
    }
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            entry["text"] = part.get_content()
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            text = content if isinstance(content, str) else content.decode()
            entry["calendar"] = text.replace("\r\n ", "").replace("\n ", "")  # unfolded
            entry["calendar_method"] = part.get_param("method") or ""
            entry["calendar_events"] = calendar_events(text)
    out.append((box[key].get_date(), entry["message_id"], entry))
out.sort(key=lambda t: (t[0], t[1]))
print(json.dumps([e for _, _, e in out], ensure_ascii=False, indent=1))
