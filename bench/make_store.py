#!/usr/bin/python3
"""Writes N canonical incident records into STORE (an initialised opsflow store),
spread over 24 months, about 15% of them open; with --full also N/5 tickets,
N/100 maintenance windows, and survey answers on a third of the closed
incidents. Used by the benchmarks."""
import os
import random
import sys
from datetime import datetime, timedelta, timezone

store, n = sys.argv[1], int(sys.argv[2])
full = "--full" in sys.argv
rng = random.Random(42)
tz = timezone(timedelta(hours=8))
start = datetime(2024, 12, 1, tzinfo=tz)
people = ["lisi", "wangwu", "chen"]
services = ["mail", "vpn"]
open_statuses = ["new", "assigned", "diagnosing", "on_hold"]

TEMPLATE = """id: {id}
title: {title}
status: {status}
service: {service}
category: network
impact: medium
urgency: medium
priority: P3
reporter: 张三 <zhangsan@example.com>
channel: phone
reported_at: {t0}
assignee: {who}
sla:
  respond_by: {t1}
  resolve_by: {t2}
description: |-
  用户报告 VPN 连接失败，错误代码 809。
  The user cannot connect since the morning.
events:
  - at: {t0}
    by: zhangwei
    action: report
    title: {title}
    status: new
    service: {service}
    category: network
    impact: medium
    urgency: medium
    priority: P3
    reporter: 张三 <zhangsan@example.com>
    channel: phone
  - at: {t1}
    by: zhangwei
    action: assign
    assignee: {who}
    status: assigned
"""

seen = set()
for i in range(n):
    while True:
        hexid = "%08x" % rng.getrandbits(32)
        if hexid not in seen:
            seen.add(hexid)
            break
    reported = start + timedelta(minutes=rng.randrange(0, 729 * 24 * 60))
    status = rng.choice(open_statuses) if rng.random() < 0.15 else "closed"
    fmt = lambda t: t.isoformat()
    text = TEMPLATE.format(id="INC-" + hexid, title="VPN 无法连接 (%d)" % i, status=status,
                           service=rng.choice(services), who=rng.choice(people), t0=fmt(reported),
                           t1=fmt(reported + timedelta(minutes=20)), t2=fmt(reported + timedelta(days=3)))
    d = os.path.join(store, "incidents", reported.strftime("%Y/%m"))
    os.makedirs(d, exist_ok=True)
    if full and status == "closed" and i % 3 == 0:
        text = text.replace("events:\n", "survey:\n  sent_at: %s\n  score: %d\n  answered_at: %s\nevents:\n"
                            % (fmt(reported + timedelta(hours=3)), 1 + i % 5, fmt(reported + timedelta(hours=5))), 1)
    with open(os.path.join(d, "INC-%s.yaml" % hexid), "w", encoding="utf-8") as f:
        f.write(text)

TICKET = """id: {id}
subject: 如何配置 VPN 客户端 ({n})
status: {status}
requester: 张三 <zhangsan@example.com>
channel: email
received_at: {t0}
category: network
service: vpn
question: |-
  客户端报错 809，请帮忙。
answer: 请升级到 4.2 版客户端。
events:
  - at: {t0}
    by: zhangwei
    action: receive
    status: new
  - at: {t1}
    by: lisi
    action: answer
    status: answered
"""

WINDOW = """id: {id}
title: 例行补丁 ({n})
status: completed
services: [vpn]
owner: wangwu
start: {t0}
end: {t1}
result: completed
actual_start: {t0}
actual_end: {t1}
events:
  - at: {tp}
    by: wangwu
    action: plan
    status: planned
  - at: {t0}
    by: wangwu
    action: start
    status: in_progress
  - at: {t1}
    by: wangwu
    action: done
    status: completed
"""

def write(kind_dir, prefix, when, text_for):
    while True:
        hexid = "%08x" % rng.getrandbits(32)
        if hexid not in seen:
            seen.add(hexid)
            break
    d = os.path.join(store, kind_dir, when.strftime("%Y/%m"))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "%s-%s.yaml" % (prefix, hexid)), "w", encoding="utf-8") as f:
        f.write(text_for("%s-%s" % (prefix, hexid)))

if full:
    fmt = lambda t: t.isoformat()
    for i in range(n // 5):
        t0 = start + timedelta(minutes=rng.randrange(0, 729 * 24 * 60))
        write("tickets", "TKT", t0, lambda id_: TICKET.format(id=id_, n=i, status="answered", t0=fmt(t0),
                                                              t1=fmt(t0 + timedelta(minutes=90))))
    for i in range(n // 100):
        t0 = start + timedelta(minutes=rng.randrange(0, 729 * 24 * 60))
        write("maintenance", "MNT", t0 - timedelta(days=5),
              lambda id_: WINDOW.format(id=id_, n=i, tp=fmt(t0 - timedelta(days=5)), t0=fmt(t0), t1=fmt(t0 + timedelta(hours=2))))
