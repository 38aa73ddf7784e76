#!/usr/bin/python3
"""Writes N canonical incident records into STORE (an initialised opsflow store),
spread over 24 months, about 15% of them open. Used by the benchmarks."""
import os
import random
import sys
from datetime import datetime, timedelta, timezone

store, n = sys.argv[1], int(sys.argv[2])
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
    text = TEMPLATE.format(id="INC-" + hexid, title="VPN 无法连接 #%d" % i, status=status,
                           service=rng.choice(services), who=rng.choice(people), t0=fmt(reported),
                           t1=fmt(reported + timedelta(minutes=20)), t2=fmt(reported + timedelta(days=3)))
    d = os.path.join(store, "incidents", reported.strftime("%Y/%m"))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "INC-%s.yaml" % hexid), "w", encoding="utf-8") as f:
        f.write(text)
