#!/usr/bin/env python3
"""Runs the live-database examples of rule docs against a real server.

For every ```sql live-bad / ```sql live-good block of the given docs
(rules/<id>.md): a fresh database (an emptied public schema in a database
of its own: faster than a new database each time), the block run in it with psql (stopping
at the first error unless the block says `expect-error`, in which case
some statement must fail), then `ddlgate audit --format json --rule
<id>=error`, run in a repository whose migration set is the doc's last
```sql migration block before the example (or in an empty directory when
there is none). A live-bad example must report the rule, a live-good one
must not. See rules/README.md.

usage: live_rule_docs.py DDLGATE CONNINFO WORKDIR DOC...
Exit status 0 when every example behaves as documented, 1 otherwise.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

FENCE = re.compile(r"^(`{3,})\s*(.*)$")


def blocks(path):
    """(line, info words, body) of every fenced block."""
    out, lines, i = [], open(path, encoding="utf-8").read().split("\n"), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, info, body = i + 1, m.group(2).split(), []
        i += 1
        while i < len(lines) and not lines[i].startswith(m.group(1)):
            body.append(lines[i])
            i += 1
        out.append((start, info, "\n".join(body) + "\n"))
        i += 1
    return out


def psql(conn, sql, stop=True):
    args = ["psql", "-X", "-q", "-tA", "-d", conn] + (["-v", "ON_ERROR_STOP=1"] if stop else [])
    return subprocess.run(args, input=sql, capture_output=True, text=True)


def settle(conn, db):
    """Wait until the example's session is gone: a backend flushes its statistics
    (before_shmem_exit) before it leaves pg_stat_activity (on_shmem_exit)."""
    for _ in range(200):
        r = psql(conn + " dbname=postgres",
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'" % db)
        if r.stdout.strip() == "0":
            return
        time.sleep(0.02)
    sys.exit("the example's session did not end")


def main():
    ddlgate, conn, work = sys.argv[1:4]
    docs = sys.argv[4:]
    failures, n = 0, 0
    db = "doc_examples"
    psql(conn + " dbname=postgres", "DROP DATABASE IF EXISTS %s" % db)
    r = psql(conn + " dbname=postgres", "CREATE DATABASE %s" % db)
    if r.returncode:
        sys.exit("cannot create a database: " + r.stderr)
    for doc in docs:
        rule = open(doc, encoding="utf-8").readline().lstrip("# ").strip()
        rel = os.path.relpath(doc, os.path.dirname(os.path.dirname(doc)))
        migration, counts = None, {"live-bad": 0, "live-good": 0}
        for line, info, body in blocks(doc):
            if len(info) < 2 or info[0] != "sql":
                continue
            kind = info[1]
            if kind == "migration":
                migration = body
                continue
            if kind not in counts:
                continue
            counts[kind] += 1
            n += 1
            where = "%s:%d (%s)" % (rel, line, " ".join(info))
            expect_error = "expect-error" in info[2:]
            reset = ("SET client_min_messages = warning;\nDROP SCHEMA public CASCADE;\n"
                     "CREATE SCHEMA public;\nRESET client_min_messages;\n")
            r = psql(conn + " dbname=" + db, reset + body, stop=not expect_error)
            broke = r.returncode != 0 or (expect_error and "ERROR" not in r.stderr)
            if broke:
                failures += 1
                print("not ok %d - %s: the example does not run as written: %s"
                      % (n, where, r.stderr.strip() or "(no statement failed)"))
                continue
            settle(conn, db)
            cwd = os.path.join(work, "ex%d" % n)
            os.makedirs(cwd)
            if migration is not None:
                os.mkdir(os.path.join(cwd, ".git"))
                os.makedirs(os.path.join(cwd, "db", "migrations"))
                with open(os.path.join(cwd, "db", "migrations", "V1__example.sql"), "w") as f:
                    f.write(migration)
            p = subprocess.run([ddlgate, "audit", "--dsn", conn + " dbname=" + db, "--format", "json",
                                "--rule", rule + "=error"], cwd=cwd, capture_output=True, text=True)
            shutil.rmtree(cwd, ignore_errors=True)
            try:
                found = [f for f in json.loads(p.stdout)["findings"] if f["rule"] == rule]
            except ValueError:
                found = None
            if p.returncode not in (0, 1) or found is None:
                failures += 1
                print("not ok %d - %s: ddlgate audit exited %d: %s" % (n, where, p.returncode, p.stderr.strip()))
            elif (kind == "live-bad") != bool(found):
                failures += 1
                print("not ok %d - %s: %s" % (n, where, "must report %s, reported nothing" % rule
                      if kind == "live-bad" else "must not report %s; got: %s" % (rule, found[0]["message"])))
            else:
                print("ok %d - %s %s %s" % (n, where, "reports" if found else "does not report", rule))
        for kind, c in counts.items():
            if not c:
                failures += 1
                n += 1
                print("not ok %d - %s: no ```sql %s example" % (n, rel, kind))
    psql(conn + " dbname=postgres", "DROP DATABASE %s" % db)
    print("1..%d" % n)
    return 1 if failures or not n else 0


if __name__ == "__main__":
    sys.exit(main())
