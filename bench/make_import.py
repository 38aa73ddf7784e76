#!/usr/bin/python3
"""Writes a CSV of N incidents as another helpdesk would export them (no opsflow
IDs, times as "YYYY-MM-DD HH:MM"), for `opsflow import`: spread over 24 months
before START (default 2026-11-01), about 85% closed with cause, resolution,
feedback and a passed verification, the rest open. Deterministic for a SEED.
Usage: make_import.py N [START] [SEED] > incidents.csv"""
import csv
import random
import sys
from datetime import datetime, timedelta

n = int(sys.argv[1])
start = datetime.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else datetime(2026, 11, 1)
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
services = ["mail", "vpn"]
categories = ["network", "email", "software", "hardware"]
people = ["lisi", "wangwu", "chen"]
levels = ["high", "medium", "low"]

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["title", "reported_at", "status", "service", "category", "impact", "urgency",
              "reporter", "channel", "assignee", "description", "cause", "resolution",
              "feedback", "verification"])
for i in range(n):
    reported = start - timedelta(minutes=rng.randrange(0, 730 * 24 * 60))
    closed = rng.random() < 0.85
    service = rng.choice(services)
    row = ["%s 故障 #%d: 用户无法连接" % (service.upper(), i), reported.strftime("%Y-%m-%d %H:%M"),
           "closed" if closed else rng.choice(["new", "assigned", "diagnosing"]),
           service, rng.choice(categories), rng.choice(levels), rng.choice(levels),
           "张三 <zhangsan@example.com>", rng.choice(["phone", "email", "ticket", "monitoring"]),
           rng.choice(people), "用户报告连接失败，错误代码 809。\nThe user cannot connect since the morning.",
           "", "", "", ""]
    if row[2] == "new":
        row[9] = ""
    if closed:
        row[11:15] = ["证书过期", "更新证书并重启服务", "用户确认恢复正常",
                      '{"result": "passed", "note": "用户确认"}']
    out.writerow(row)
