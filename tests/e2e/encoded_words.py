#!/usr/bin/python3
"""Messages whose Subject and From name are runs of adjacent RFC 2047 B words of the
kind GMime 3.2.13 reads wrongly (jstedfast/gmime#133: every word after one that ends
in `=` padding is dropped), written byte by byte, and what Python's `email` package
(policy.strict: any defect fails) reads in them.

`encoded_words.py cases DIR`: writes DIR/case-N.eml and prints, one line per message,
`case-N.eml<TAB>subject<TAB>display name<TAB>address` as Python reads them.
`encoded_words.py reply FROM_NAME ADDRESS SUBJECT MESSAGE_ID`: prints a reply with no
In-Reply-To, its subject and sender's name in padded words cut every 7 bytes (inside
characters too); fails unless Python reads back exactly SUBJECT and FROM_NAME."""
import base64
import email
import email.policy
import sys
from email.header import decode_header, make_header


def words(text, size, charset="utf-8"):
    data = text.encode(charset) if isinstance(text, str) else text
    return "\r\n ".join(f"=?{charset}?B?{base64.b64encode(data[i:i + size]).decode()}?="
                        for i in range(0, len(data), size))


def message(subject, name, address, message_id):
    return (f"From: {name} <{address}>\r\nTo: ops@example.com\r\nSubject: {subject}\r\n"
            f"Date: Mon, 30 Nov 2026 09:15:00 +0800\r\nMessage-ID: <{message_id}>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Printer on floor 3 again.\r\n").encode("ascii")


def python_reads(raw, name):
    """The subject and address as policy.strict reads them; the name (its words as
    written) as email.header decodes RFC 2047 text: the address parser of Python 3.11
    keeps the whitespace between adjacent encoded words of a display name ("张 伟"),
    which RFC 2047 §6.2 says to drop."""
    msg = email.message_from_bytes(raw, policy=email.policy.strict)
    subject, sender = str(msg["Subject"]), msg["From"].addresses[0]
    if msg.defects:
        sys.exit(f"encoded_words: defects {msg.defects}")
    return subject, str(make_header(decode_header(name))), sender.addr_spec


CJK = ("Re: 【变更通知】核心交换机固件升级 (Core switch firmware upgrade) "
       "期间办公网络将中断约三十分钟，请各部门提前保存工作并关闭VPN连接；"
       "如有疑问请联系运维值班电话 8888-1234，谢谢配合")
CASES = [
    ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=", "=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?="),
    ("=?utf-8?B?ZGlkYWN0YSAyMDIwIHdpcmQgdmVyc2Nob2JlbiAtICBCZWjD?=\r\n"
     " =?utf-8?B?tnJkZW4gdmVyZsO8Z2VuIFZlcmFuc3RhbHR1bmdzdmVyYm90IGbDvHIg?=\r\n"
     " =?utf-8?B?QmlsZHVuZ3NtZXNzZSBpbSBNw6Ryeg==?=", words("Jürgen Weiß", 4)),
    ("=?UTF-8?B?QeQ=?= =?UTF-8?B?uK0=?= printer", words("张伟", 2)),
    (words(CJK, 7), words("运维值班 Ops", 5)),
    (words(CJK, 16), words("张伟", 1)),
    (words("Re: 你好 printer: 你好".encode("gbk"), 2, "gbk"), words("张伟".encode("gbk"), 2, "gbk")),
    ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?Q?_to_the?= =?UTF-8?B?IHdvcmxk?=", "Ops"),
]

if sys.argv[1] == "cases":
    for n, (subject, name) in enumerate(CASES, 1):
        raw = message(subject, name, f"user{n}@example.com", f"encoded-{n}@example.com")
        with open(f"{sys.argv[2]}/case-{n}.eml", "wb") as f:
            f.write(raw)
        print("\t".join((f"case-{n}.eml",) + python_reads(raw, name)))
else:
    _, _, name, address, subject, message_id = sys.argv
    name_words = words(name, 7)
    raw = message(words(subject, 7), name_words, address, message_id)
    if python_reads(raw, name_words) != (subject, name, address):
        sys.exit(f"encoded_words: Python reads {python_reads(raw, name_words)!r}")
    sys.stdout.buffer.write(raw)
