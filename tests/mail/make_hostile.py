#!/usr/bin/python3
"""Writes hostile input for `opsflow mail receive` into OUTDIR (made if missing):

    python3 tests/mail/make_hostile.py OUTDIR

Generated rather than committed (huge.eml is over 10 MiB); the output is the
same on every run (fixed seed). All files use CRLF line ends. What each is for,
and what SPEC §9 makes of it:

  not-a-message.eml  a PNG followed by random bytes: not a mail message at all
                     (exit 65, nothing written)
  huge.eml           a valid message of 10 MiB + 4 KiB (over max_size 10MB, whether
                     MB is read as 10^6 or 2^20): exit 65, nothing written
  header-bomb.eml    10,000 header fields before From/To/Subject, then a short body:
                     processed or refused, in bounded time and memory, no crash
  deep-nesting.eml   multipart/mixed nested 200 deep, a text/plain at the bottom:
                     no stack overflow; the text found or the nesting refused
  bad-utf8.eml       charset=utf-8 with invalid UTF-8 in the body and raw 8-bit
                     invalid UTF-8 in Subject: U+FFFD, never a crash
  crlf-tricks.eml    encoded-words in From's display name and in Subject that
                     decode to CR LF "Bcc: victim@example.com", and a Reply-To
                     display name with a raw CR inside its quotes: no header of
                     any notice opsflow writes may carry the CR/LF, and no mail
                     may go to victim@example.com
  empty.eml          zero bytes: exit 65
  no-headers.eml     a single body line, no header at all: exit 65 (not a message)

The script checks its own output (sizes, counts, depth) and prints one line per
file; it exits non-zero if a file is not what it should be.
"""
import base64
import os
import random
import struct
import sys
import zlib

MIB = 1024 * 1024
CRLF = b"\r\n"


def lines(*ls):
    return CRLF.join(l if isinstance(l, bytes) else l.encode("utf-8") for l in ls) + CRLF


def headers(subject, extra=()):
    return lines(
        "Return-Path: <zhang.wei@example.com>",
        "Date: Mon, 30 Nov 2026 09:15:00 +0800",
        "From: =?UTF-8?B?5byg5Lyf?= <zhang.wei@example.com>",
        "To: ops@example.com",
        f"Subject: {subject}",
        *extra,
    )


def png(w=64, h=64):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in (x * 4 % 256, y * 4 % 256, 128))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def not_a_message(rng):
    return png() + bytes(rng.randrange(256) for _ in range(4096))


def huge(rng):
    target = 10 * MIB + 4096
    head = headers("Huge attachment", [
        "Message-ID: <hostile-huge@example.com>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="huge-boundary"',
    ]) + lines("", "--huge-boundary", "Content-Type: text/plain; charset=utf-8", "",
               "See the attached dump.", "--huge-boundary",
               "Content-Type: application/octet-stream",
               'Content-Disposition: attachment; filename="dump.bin"',
               "Content-Transfer-Encoding: base64", "")
    tail = lines("--huge-boundary--")
    # 57 raw bytes -> one 76-char base64 line + CRLF = 78 bytes
    need_lines = (target - len(head) - len(tail)) // 78 + 1
    data = rng.randbytes(57 * need_lines)
    b64 = base64.encodebytes(data).replace(b"\n", CRLF)
    return head + b64 + tail


def header_bomb(rng):
    filler = b"".join(b"X-Filler-%05d: %s\r\n" % (i, b"v" * (i % 40 + 1)) for i in range(10000))
    return filler + headers("Header bomb", ["Message-ID: <hostile-header-bomb@example.com>"]) + lines(
        "", "10,000 header fields above.")


def deep_nesting(rng, depth=200):
    out = headers("Deep nesting", ["Message-ID: <hostile-deep-nesting@example.com>", "MIME-Version: 1.0",
                                   'Content-Type: multipart/mixed; boundary="b000"'])
    out += CRLF
    for i in range(1, depth):
        out += lines(f"--b{i - 1:03d}", f'Content-Type: multipart/mixed; boundary="b{i:03d}"', "")
    out += lines(f"--b{depth - 1:03d}", "Content-Type: text/plain; charset=utf-8", "",
                 "The bottom of 200 nested multiparts.")
    for i in range(depth - 1, -1, -1):
        out += lines(f"--b{i:03d}--")
    return out


def bad_utf8(rng):
    bad_subject = b"Subject: \xe6\x89\x93\xe5\x8d\xb0 \xff\xfe broken \xc3\x28 \xe2\x82 end"
    return lines(
        b"Return-Path: <zhang.wei@example.com>",
        b"Date: Mon, 30 Nov 2026 09:15:00 +0800",
        b"From: =?UTF-8?B?5byg5Lyf?= <zhang.wei@example.com>",
        b"To: ops@example.com",
        bad_subject,
        b"Message-ID: <hostile-bad-utf8@example.com>",
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain; charset=utf-8",
        b"Content-Transfer-Encoding: 8bit",
        b"",
        "valid: 打印机无法打印".encode("utf-8"),
        b"lone continuation: \x80\xbf",
        b"overlong slash: \xc0\xaf",
        b"surrogate: \xed\xa0\x80",
        b"beyond U+10FFFF: \xf4\x90\x80\x80",
        b"invalid lead: \xfe\xff",
        b"truncated at end: \xe6\x89",
    )


def crlf_tricks(rng):
    return lines(
        "Return-Path: <zhang.wei@example.com>",
        "Date: Mon, 30 Nov 2026 09:15:00 +0800",
        "From: =?UTF-8?Q?Zhang_Wei=0D=0ABcc:_victim@example.com?= <zhang.wei@example.com>",
        "To: ops@example.com",
        b'Reply-To: "Wei\rBcc: victim@example.com" <zhang.wei@example.com>',
        "Subject: =?UTF-8?Q?Hi=0D=0ABcc:_victim@example.com?= =?UTF-8?B?DQpYLUluamVjdGVkOiB5ZXM=?=",
        "Message-ID: <hostile-crlf-tricks@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "The display name and the subject decode to CR LF + Bcc: victim@example.com.",
    )


def no_headers(rng):
    return lines("the printer on the 3rd floor is broken again")


FILES = {
    "not-a-message.eml": not_a_message,
    "huge.eml": huge,
    "header-bomb.eml": header_bomb,
    "deep-nesting.eml": deep_nesting,
    "bad-utf8.eml": bad_utf8,
    "crlf-tricks.eml": crlf_tricks,
    "empty.eml": lambda rng: b"",
    "no-headers.eml": no_headers,
}


def self_check(name, data):
    """What each file must be; a failure means this script is wrong."""
    bare = data.replace(CRLF, b"")
    if name == "not-a-message.eml":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if name != "empty.eml":
        crlf_ok = b"\n" not in bare and (name == "crlf-tricks.eml" or b"\r" not in bare)
        if not crlf_ok:
            return False
    if name == "huge.eml":
        return 10 * MIB < len(data) <= 10 * MIB + 4096 + 78
    if name == "header-bomb.eml":
        head = data.split(CRLF + CRLF, 1)[0]
        return head.count(CRLF) + 1 == 10000 + 6
    if name == "deep-nesting.eml":
        return data.count(b"Content-Type: multipart/mixed") == 200
    if name == "bad-utf8.eml":
        try:
            data.decode("utf-8")
            return False
        except UnicodeDecodeError:
            return True
    if name == "crlf-tricks.eml":
        return b'"Wei\rBcc:' in data and b"=0D=0ABcc:" in data
    if name == "empty.eml":
        return data == b""
    if name == "no-headers.eml":
        return b":" not in data
    return True


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ok = True
    for name, make in FILES.items():
        data = make(random.Random(name))
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        good = self_check(name, data)
        ok &= good
        print(f"{'ok  ' if good else 'BAD '} {name} {len(data)} bytes")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
