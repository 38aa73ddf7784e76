#!/usr/bin/env python3
"""english_left.py [--allow WORD]... < TEXT: prints the English words left in a text
that should be Chinese, one per line, and exits 1 when there is any.

What is not a sentence is taken out first: record IDs, commands to run (from
`opsflow ` to the end of the line or the closing quote), options (--to), e-mail
addresses, paths, times, placeholders a person types (PERSON, FILE), and the
abbreviations a Chinese department writes in Latin letters (SLA, MTTR, P1, HTML...).
--allow names more words that may stay: the user's own text in the scenario, or a
value of the data (a service id, a person's login)."""
import re
import sys

ALWAYS = {
    "opsflow", "git", "IT", "SLA", "MTTR", "MTTA", "P1", "P2", "P3", "P4", "HTML", "CSV", "JSON",
    "YAML", "ID", "IDs", "SMTP", "IMAP", "URL", "UTC", "RRULE", "iCalendar", "ICS", "Maildir",
    "MTA", "TLS", "VISUAL", "EDITOR", "PATH", "HOME", "LANG", "LC_ALL", "LC_MESSAGES", "VPN",
    "PERSON", "FILE", "DIR", "TIME", "TEXT", "ID", "N", "NAME", "KIND", "FORMAT", "DURATION",
    "SCORE", "SERVICE", "QUERY", "DATE", "RULE", "URL", "STORE", "ADDRESS", "REASON",
    "webhook", "cron", "stdin", "stdout", "markdown", "Markdown", "text", "json", "csv", "html",
    "md", "yaml", "zh", "CN", "en", "Ctrl", "PDF", "JSONL", "TSV", "tz", "IANA", "RFC", "MIME",
}

PATTERNS = [
    r"https?://\S+",                            # before paths: a URL holds slashes
    r"opsflow [^\n'\"`）)]*",                  # a command to run
    r"\b(?:INC|TKT|MNT|IMP|PRB|KB|SVY)-[0-9a-f]{4,}\b",  # record IDs
    r"--?[A-Za-z][\w-]*(?:=\S*)?",              # options
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",            # e-mail addresses
    r"(?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+)+/?",     # paths
    r"\b[\w-]+\.(?:yaml|yml|csv|json|md|html|ics|eml|mo|po|sh)\b",  # file names
    r"\b\d{4}-\d\d-\d\d(?:[T ][\d:]+(?:Z|[+-]\d\d:?\d\d)?)?",        # times
    r"\$\w+",                                   # environment variables
    r"<[^>\n]*>",                               # <placeholders>, addresses
]


def english_left(text, allowed):
    for pattern in PATTERNS:
        text = re.sub(pattern, " ", text)
    words = [w.rstrip("'") for w in re.findall(r"[A-Za-z][A-Za-z0-9'_]*", text)]
    return [w for w in words if w not in ALWAYS and w not in allowed]


def main():
    allowed = set()
    args = sys.argv[1:]
    while args:
        if args[0] == "--allow" and len(args) > 1:
            allowed.update(w.rstrip("'") for w in re.findall(r"[A-Za-z][A-Za-z0-9'_]*", args[1]))
            args = args[2:]
        else:
            sys.exit(f"usage: english_left.py [--allow WORDS]... < TEXT (not {args[0]!r})")
    left = english_left(sys.stdin.read(), allowed)
    for word in left:
        print(word)
    sys.exit(1 if left else 0)


if __name__ == "__main__":
    main()
