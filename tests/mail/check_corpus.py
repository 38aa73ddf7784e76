#!/usr/bin/python3
"""Checks tests/mail/corpus against its EXPECTED.tsv with Python's `email`
package, so that what the C++ tests expect of `opsflow mail` is what an
independent, widely used MIME parser reads out of the same bytes.

    python3 tests/mail/check_corpus.py [CORPUS_DIR]

EXPECTED.tsv: UTF-8, one header row, then one row per .eml; fields are split on
TAB only (no quoting, no escapes: a field may contain '"'). Columns:

  file           the .eml file name
  auto           yes when RFC 3834 (SPEC §9) forbids answering it: Auto-Submitted
                 other than "no", Precedence bulk|junk|list, a List-Id, or an
                 empty return path (Return-Path: <>)
  subject        the Subject, RFC 2047 decoded, unfolded, UTF-8
  from_address   the From address (addr-spec)
  text_contains  a substring that MUST appear in the text opsflow records: for a
                 new message the whole text (SPEC: "quoted history and signature
                 kept"), for a reply the new text only; for an HTML-only message
                 the text made from the HTML
  text_excludes  a substring that must NOT appear in that text (quoted history
                 of a reply; script/style of HTML), or "-"; it does occur in the
                 message, so the check is not vacuous (asserted here)
  attachments    the decoded file names of the attachments, comma-separated, in
                 order, or "-"

Threading of the rows with a text_excludes: reply-gmail (In-Reply-To a notice),
survey-reply (In-Reply-To a survey notice; its first new line is the score 4),
reply-chinese-client and forwarded-thread (no In-Reply-To: the subject token
[TKT-3f9a1c2e] and the sender being the requester).

Besides the columns this asserts each file's shape: CRLF line ends only, a
unique Message-ID, a Date on 2026-11-30, the mail reached ops@example.com, and
per client the header/encoding traits the file is meant to carry. Prints one
line per failure and closes with "N passed, N failed"; exit 1 on any failure.
"""
import email
import email.policy
import email.utils
import html.parser
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
NOTICE_ID = "<opsflow.TKT-3f9a1c2e.20261130T011500Z.1a2b3c4d@example.com>"
SURVEY_ID = "<opsflow.TKT-3f9a1c2e.20261130T080000Z.5e6f7a8b@example.com>"

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")


class HtmlText(html.parser.HTMLParser):
    """HTML to text the plain way: no script/style/head content, block
    elements and <br> end lines, character references decoded."""
    SKIP = {"script", "style", "head", "title"}
    BLOCK = {"p", "div", "br", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "hr", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(s):
    p = HtmlText()
    p.feed(s)
    p.close()
    text = "".join(p.out).replace("\xa0", " ")
    return re.sub(r"\n\s*\n+", "\n\n", text).strip() + "\n"


# Where quoted history starts in a reply: the first line matching one of these.
QUOTE_START = [
    re.compile(r"^>"),                                               # quoted line
    re.compile(r"^On .+ wrote:\s*$"),                                # Gmail, Thunderbird
    re.compile(r"^在.+写道[:：]\s*$"),                                # Chinese clients
    re.compile(r"^-{2,}\s*(Original Message|原始邮件|邮件原件)\s*-{2,}\s*$", re.I),
    re.compile(r"^(发件人|From)\s*[:：]\s*\S.*$"),                    # Outlook header block
    re.compile(r"^_{20,}\s*$"),                                      # Outlook HTML separator
]


def new_text(text):
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if any(r.match(line) for r in QUOTE_START):
            lines = lines[:i]
            break
    return "\n".join(lines).rstrip() + "\n"


def is_auto(msg):
    auto = str(msg.get("Auto-Submitted", "no")).split(";")[0].strip().lower()
    prec = str(msg.get("Precedence", "")).strip().lower()
    rp = msg.get_all("Return-Path") or []
    return (auto != "no" or prec in ("bulk", "junk", "list") or msg.get("List-Id") is not None
            or (bool(rp) and str(rp[0]).strip() == "<>"))


def raw_header(raw, name):
    """The first occurrence of header NAME in the top-level header, unfolded, undecoded."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    m = re.search(r"^%s:(.*(?:\r\n[ \t].*)*)" % re.escape(name), head, re.M | re.I)
    return m.group(1).replace("\r\n", "").strip() if m else None


# Per file: (description, predicate(raw bytes, parsed message)) for the traits
# the file exists to carry.
SHAPES = {
    "outlook-new.eml": [
        ("X-Mailer Outlook 16", lambda r, m: m["X-Mailer"] == "Microsoft Outlook 16.0"),
        ("Subject gb2312 B-encoded", lambda r, m: raw_header(r, "Subject").startswith("=?gb2312?B?")),
        ("alternative plain(gb2312, base64) + html",
         lambda r, m: [(p.get_content_type(), p.get_content_charset(), p["Content-Transfer-Encoding"])
                       for p in m.iter_parts()] == [("text/plain", "gb2312", "base64"),
                                                    ("text/html", "gb2312", "quoted-printable")]),
        ("signature kept in the text", lambda r, m: "会计主管" in text_of(m)),
    ],
    "foxmail-gbk.eml": [
        ("X-Mailer Foxmail 7.2", lambda r, m: m["X-Mailer"].startswith("Foxmail 7.2")),
        ("Subject GBK B-encoded", lambda r, m: raw_header(r, "Subject").startswith("=?GBK?B?")),
        ("plain part charset GBK", lambda r, m: m.get_body(("plain",))["Content-Type"].params["charset"] == "GBK"),
        ("a character only GBK has (喆)", lambda r, m: not can_encode("喆", "gb2312") and "喆" in text_of(m)),
        ("Foxmail quotes the encoded display name", lambda r, m: raw_header(r, "From").startswith('"=?GBK?B?')),
    ],
    "gmail-qp.eml": [
        ("Gmail Message-ID", lambda r, m: re.fullmatch(r"<CA[^@]+@mail\.gmail\.com>", m["Message-ID"]) is not None),
        ("QP soft line breaks", lambda r, m: b"=\r\n" in r),
        ("a soft break inside a UTF-8 sequence", lambda r, m: re.search(rb"=E2=80=\r\n=9C", r) is not None),
        ("decoded lines longer than 76", lambda r, m: max(map(len, text_of(m).split("\n"))) > 76),
        ("'=' as =3D", lambda r, m: b"quota=3D500GB" in r and "quota=500GB" in text_of(m)),
        ("alternative plain + html",
         lambda r, m: [p.get_content_type() for p in m.iter_parts()] == ["text/plain", "text/html"]),
    ],
    "apple-mail.eml": [
        ("X-Mailer Apple Mail", lambda r, m: m["X-Mailer"].startswith("Apple Mail (2.3774")),
        ("Mime-Version comment", lambda r, m: raw_header(r, "Mime-Version") == r"1.0 (Mac OS X Mail 16.0 \(3774.600.62\))"),
        ("single text/plain QP", lambda r, m: not m.is_multipart() and m["Content-Transfer-Encoding"] == "quoted-printable"),
        ("QP soft line breaks", lambda r, m: b"=\r\n" in r),
    ],
    "mobile-html-only.eml": [
        ("only text/html, base64", lambda r, m: m.get_content_type() == "text/html" and m["Content-Transfer-Encoding"] == "base64"),
        ("has <style>, <script>, &nbsp;, &amp;, <br>",
         lambda r, m: all(s in m.get_content() for s in ("<style>", "<script", "&nbsp;", "&amp;", "<br>"))),
        ("style not in text", lambda r, m: "line-height" not in text_of(m)),
        ("entities decoded", lambda r, m: "<急>" in text_of(m)),
    ],
    "out-of-office.eml": [
        ("Auto-Submitted: auto-replied", lambda r, m: m["Auto-Submitted"] == "auto-replied"),
        ("X-Auto-Response-Suppress: All", lambda r, m: m["X-Auto-Response-Suppress"] == "All"),
        ("In-Reply-To the notice", lambda r, m: m["In-Reply-To"] == NOTICE_ID),
    ],
    "bounce-dsn.eml": [
        ("Return-Path: <> first", lambda r, m: r.startswith(b"Return-Path: <>\r\n")),
        ("multipart/report delivery-status",
         lambda r, m: m.get_content_type() == "multipart/report" and m.get_param("report-type") == "delivery-status"),
        ("parts plain, delivery-status, rfc822-headers",
         lambda r, m: [p.get_content_type() for p in m.iter_parts()]
         == ["text/plain", "message/delivery-status", "text/rfc822-headers"]),
        ("original's Message-ID in the returned headers", lambda r, m: NOTICE_ID.encode() in r),
    ],
    "attachments.eml": [
        ("multipart/mixed", lambda r, m: m.get_content_type() == "multipart/mixed"),
        ("RFC 2231 filename*", lambda r, m: b"filename*=UTF-8''%E6%88%AA%E5%9B%BE.png" in r),
        ("the PNG decodes to a PNG", lambda r, m: attachment(m, "截图.png").startswith(b"\x89PNG\r\n\x1a\n")),
        ("error.log is application/octet-stream",
         lambda r, m: part_named(m, "error.log").get_content_type() == "application/octet-stream"),
    ],
    "broken-charset.eml": [
        ("label utf-8, bytes GBK", lambda r, m: m.get_content_charset() == "utf-8"
         and m.get_payload(decode=True).decode("gbk").startswith("您好")),
        ("undecodable bytes become U+FFFD", lambda r, m: "\ufffd" in text_of(m)),
        ("unknown charset label in Subject", lambda r, m: "=?x-unknown?B?" in raw_header(r, "Subject")),
    ],
    "forwarded-thread.eml": [
        ("no In-Reply-To", lambda r, m: m["In-Reply-To"] is None and m["References"] is None),
        ("Outlook blocks", lambda r, m: all(s in text_of(m) for s in (
            "-----Original Message-----", "发件人: ", "发送时间: ", "收件人: ", "主题: "))),
    ],
    "reply-gmail.eml": [
        ("In-Reply-To/References the notice", lambda r, m: m["In-Reply-To"] == NOTICE_ID and m["References"] == NOTICE_ID),
        ("Gmail attribution", lambda r, m: "On Mon, Nov 30, 2026 at 9:20 AM 运维部 <ops@example.com> wrote:\n" in text_of(m)),
        ("quoted lines", lambda r, m: "\n> 请问打印机面板上有没有错误提示？\n" in text_of(m)),
    ],
    "reply-chinese-client.eml": [
        ("no In-Reply-To", lambda r, m: m["In-Reply-To"] is None and m["References"] is None),
        ("Chinese attribution", lambda r, m: "在 2026年11月30日 09:20，运维部 <ops@example.com> 写道：\n>" in text_of(m)),
    ],
    "survey-reply.eml": [
        ("In-Reply-To the survey notice", lambda r, m: m["In-Reply-To"] == SURVEY_ID),
        ("first new line is the score 4", lambda r, m: text_of(m).split("\n")[0] == "4"),
    ],
    "list-mail.eml": [
        ("List-Id and Precedence: list", lambda r, m: m["List-Id"] is not None and m["Precedence"] == "list"),
        ("delivered to ops", lambda r, m: m["Delivered-To"] == "ops@example.com"),
    ],
}

# Header defects Python reports that the real client does produce.
ALLOWED_DEFECTS = {"foxmail-gbk.eml": {"From"},          # "=?GBK?B?...?=" in quotes
                   "attachments.eml": {"Content-Type"}}  # Thunderbird: name="=?UTF-8?B?...?="


def can_encode(s, cs):
    try:
        s.encode(cs)
        return True
    except UnicodeEncodeError:
        return False


def part_named(msg, name):
    return next(p for p in msg.walk() if p.get_filename() == name)


def attachment(msg, name):
    return part_named(msg, name).get_content()


def body_part(msg):
    return msg.get_body(preferencelist=("plain", "html"))


def text_of(msg):
    part = body_part(msg)
    text = part.get_content().replace("\r\n", "\n")
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def main():
    rows = {}
    with open(os.path.join(CORPUS, "EXPECTED.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        check(header == ["file", "auto", "subject", "from_address", "text_contains", "text_excludes",
                         "attachments"], f"EXPECTED.tsv header {header}")
        for n, line in enumerate(f, 2):
            cols = line.rstrip("\n").split("\t")
            check(len(cols) == 7, f"EXPECTED.tsv line {n}: {len(cols)} columns")
            rows[cols[0]] = dict(zip(header, cols))
    files = sorted(x for x in os.listdir(CORPUS) if x.endswith(".eml"))
    check(sorted(rows) == files, f"EXPECTED.tsv rows {sorted(rows)} != files {files}")

    ids = {}
    for name in files:
        raw = open(os.path.join(CORPUS, name), "rb").read()
        exp = rows.get(name)
        if exp is None:
            continue
        where = lambda what: f"{name}: {what}"
        check(b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b""),
              where("line ends are not all CRLF"))
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for part in msg.walk():
            for hname, value in part.items():
                str(value)
                bad = getattr(value, "defects", ())
                check(not bad or hname in ALLOWED_DEFECTS.get(name, ()), where(f"header {hname}: {bad}"))
            check(not part.defects, where(f"{part.get_content_type()} defects {part.defects}"))

        mid = msg["Message-ID"]
        check(mid is not None and re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(mid)), where(f"Message-ID {mid}"))
        check(mid not in ids, where(f"Message-ID also in {ids.get(mid)}"))
        ids[mid] = name
        when = msg["Date"].datetime
        check(when.tzinfo is not None and abs((when - email.utils.parsedate_to_datetime(
            "Mon, 30 Nov 2026 09:15:00 +0800")).total_seconds()) < 86400, where(f"Date {msg['Date']}"))
        to = [a.addr_spec for a in msg["To"].addresses]
        check("ops@example.com" in to or msg["Delivered-To"] == "ops@example.com", where(f"To {to}"))

        check(("yes" if is_auto(msg) else "no") == exp["auto"], where(f"auto is {is_auto(msg)}, expected {exp['auto']}"))
        check(str(msg["Subject"]) == exp["subject"], where(f"subject {str(msg['Subject'])!r}"))
        check(msg["From"].addresses[0].addr_spec == exp["from_address"],
              where(f"from {msg['From'].addresses[0].addr_spec}"))

        text = text_of(msg)
        recorded = new_text(text) if exp["text_excludes"] != "-" else text
        check(exp["text_contains"] in recorded, where(f"text lacks {exp['text_contains']!r}: {recorded[:300]!r}"))
        if exp["text_excludes"] != "-":
            ex = exp["text_excludes"]
            check(ex not in recorded, where(f"new text has {ex!r}: {recorded!r}"))
            check(ex in body_part(msg).get_content(), where(f"{ex!r} is not in the message at all"))
        atts = [p.get_filename() for p in msg.walk() if p.get_content_disposition() == "attachment"]
        check((",".join(atts) or "-") == exp["attachments"], where(f"attachments {atts}"))

        for what, pred in SHAPES.get(name, []):
            try:
                ok = pred(raw, msg)
            except Exception as e:  # a shape check that raises has failed
                ok, what = False, f"{what} ({type(e).__name__}: {e})"
            check(ok, where(what))
    check(set(SHAPES) <= set(files), f"shape checks for missing files {set(SHAPES) - set(files)}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
