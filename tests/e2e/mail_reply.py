#!/usr/bin/python3
"""Writes, on standard output, a user's reply to a message the way a mail program
does: `mail_reply.py ORIGINAL FROM TEXT [MESSAGE_ID]`. ORIGINAL is the message
replied to (a file; `-` reads it from standard input); the reply has
`Re: <subject>`, In-Reply-To its Message-ID, References its References plus its
Message-ID, TEXT on top and the original text quoted below, as Gmail writes it."""
import email
import email.policy
import email.utils
import sys

original_bytes = sys.stdin.buffer.read() if sys.argv[1] == "-" else open(sys.argv[1], "rb").read()
original = email.message_from_bytes(original_bytes, policy=email.policy.default)
reply = email.message.EmailMessage(policy=email.policy.SMTP)
reply["From"] = sys.argv[2]
reply["To"] = str(original["From"])
subject = str(original["Subject"])
reply["Subject"] = subject if subject.lower().startswith("re:") else "Re: " + subject
reply["Date"] = email.utils.formatdate(localtime=False)
reply["Message-ID"] = sys.argv[4] if len(sys.argv) > 4 else email.utils.make_msgid(domain="mail.example.com")
reply["In-Reply-To"] = str(original["Message-ID"])
reply["References"] = (str(original.get("References", "")) + " " + str(original["Message-ID"])).strip()
body = original.get_body(("plain",))
quoted = "\n".join("> " + line for line in (body.get_content() if body else "").splitlines())
attribution = f"On {original['Date']}, {original['From']} wrote:"
reply.set_content(f"{sys.argv[3]}\n\n{attribution}\n{quoted}\n")
sys.stdout.buffer.write(reply.as_bytes())
