#!/usr/bin/env python3
"""The lock oracle's comparison: for every case of lock_cases.sql, what a
real PostgreSQL did (pg_observe) against what `ddlgate explain --format
json` claims.

Compared, per case:
  * locks: for every relation the statement names (an identifier of the
    statement text, so an index or table PostgreSQL locks implicitly --
    a table's indexes, its TOAST table, the table behind DROP INDEX -- is
    left out), the strongest mode the backend holds must be the one
    ddlgate claims, and ddlgate must claim nothing else;
  * rewrites: the tables and materialized views named by the statement
    whose relfilenode changed (to non-empty storage) must be exactly the
    ones ddlgate says it rewrites.

Each case is explained twice: as one file (prelude, setup and statement,
only the last statement's claims compared), and as a migration set whose
first migration is the prelude and setup and whose second is the statement,
explained alone (`explain FILE` replays the set's history first); both must
agree with the server.
usage: lock_oracle.py DDLGATE PG_OBSERVE CONNINFO CASES PG_VERSION WORKDIR
"""
import json
import os
import re
import subprocess
import sys

MODES = ["AccessShareLock", "RowShareLock", "RowExclusiveLock",
         "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
         "ExclusiveLock", "AccessExclusiveLock"]

RESET = ("SET client_min_messages = warning;\n"
         "DROP SCHEMA IF EXISTS public, s1 CASCADE;\n"
         "CREATE SCHEMA public; CREATE SCHEMA s1;\n")


def parse_cases(path):
    prelude, cases, cur, in_prelude = [], [], None, False
    for line in open(path, encoding="utf-8"):
        s = line.rstrip("\n")
        if s == "-- prelude":
            in_prelude = True
            continue
        if s == "-- end prelude":
            in_prelude = False
            continue
        if in_prelude:
            prelude.append(s)
            continue
        m = re.match(r"^-- case: (\S+)(?: notx=([^:]+):(.+))?$", s)
        if m:
            cur = {"name": m.group(1), "setup": [], "stmt": [], "ignore": [], "ignore_scan": [],
                   "also": [], "in_tx": False, "history_only": False,
                   "notx": (m.group(2), m.group(3)) if m.group(2) else None}
            cases.append(cur)
            continue
        if cur is None:
            continue
        if s.startswith("-- also: "):
            cur["also"].append(s[len("-- also: "):].split()[0])
        elif s == "-- in-transaction":
            cur["in_tx"] = True
        elif s.startswith("-- history-only"):
            cur["history_only"] = True
        elif s.startswith("-- ignore-scan: "):
            cur["ignore_scan"].append(s[len("-- ignore-scan: "):].split()[0])
        elif s.startswith("-- ignore: "):
            cur["ignore"].append(s[len("-- ignore: "):].split()[0])
        elif s.startswith("-- setup: "):
            cur["setup"].append(s[len("-- setup: "):])
        elif s.startswith("--") or not s.strip():
            continue
        else:
            cur["stmt"].append(s)
    return "\n".join(prelude), cases


def identifiers(sql):
    """Identifiers of a statement as PostgreSQL folds them; strings and
    comments skipped. Independent of ddlgate's parser on purpose."""
    out, i, n = set(), 0, len(sql)
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
        elif ch == "'":
            i += 1
            while i < n:
                if sql[i] == "'" and sql[i + 1:i + 2] == "'":
                    i += 2
                elif sql[i] == "'":
                    i += 1
                    break
                else:
                    i += 1
        elif ch == '"':
            j = sql.find('"', i + 1)
            out.add(sql[i + 1:j])
            i = j + 1
        elif ch.isalpha() or ch == "_":
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$"):
                j += 1
            out.add(sql[i:j].lower())
            i = j
        else:
            i += 1
    return out


def split_rel(display):
    return tuple(display.split(".", 1)) if "." in display else (None, display)


def observed_view(obs, names):
    """(locks {(schema, rel): strongest mode}, rewrites set) for the
    relations the statement names."""
    locks = {}
    for lk in obs["locks"]:
        if lk["kind"] == "t" or lk["relation"] not in names:
            continue
        key = (lk["schema"], lk["relation"])
        if key not in locks or MODES.index(lk["mode"]) > MODES.index(locks[key]):
            locks[key] = lk["mode"]
    rewrites = {(r["schema"], r["relation"]) for r in obs["rewrites"]
                if r["kind"] in ("r", "m") and r["relation"] in names}
    return locks, rewrites


def matches(claim, key):
    schema, rel = split_rel(claim)
    return rel == key[1] and (schema is None or schema == key[0])


def compare(case, obs, claim):
    names = (identifiers(case["sql"]) | set(case["also"])) - set(case["ignore"])
    locks, rewrites = observed_view(obs, names)
    problems = []
    # several statements in one transaction: the server shows what the
    # transaction holds after the last one, ddlgate says so under "held"
    held = claim.get("held") if case["in_tx"] else None
    claimed = {c["relation"]: c["mode"] for c in (held or claim["locks"])}
    for key, mode in sorted(locks.items(), key=lambda kv: kv[0][1]):
        hit = [c for c in claimed if matches(c, key)]
        if not hit:
            problems.append("PostgreSQL holds %s on %s; ddlgate claims no lock on it"
                            % (mode, key[1]))
        elif claimed[hit[0]] != mode:
            problems.append("PostgreSQL holds %s on %s; ddlgate claims %s"
                            % (mode, key[1], claimed[hit[0]]))
    for c, mode in claimed.items():
        if not any(matches(c, key) for key in locks):
            problems.append("ddlgate claims %s on %s; PostgreSQL holds no lock on it"
                            % (mode, c))
    claimed_rw = set(claim["rewrites"])
    for key in sorted(rewrites):
        if not any(matches(c, key) for c in claimed_rw):
            problems.append("PostgreSQL rewrote %s; ddlgate does not say so" % key[1])
    for c in sorted(claimed_rw):
        if not any(matches(c, key) for key in rewrites):
            problems.append("ddlgate says %s is rewritten; PostgreSQL kept its storage" % c)
    if "scans" in obs:
        skip = set(case["ignore_scan"])
        scanned = {(r["schema"], r["relation"]) for r in obs["scans"]
                   if r["relation"] in names and r["relation"] not in skip}
        claimed_sc = {c for c in claim["scans"] if split_rel(c)[1] not in skip}
        for key in sorted(scanned):
            if not any(matches(c, key) for c in claimed_sc):
                problems.append("PostgreSQL scanned %s; ddlgate does not say so" % key[1])
        for c in sorted(claimed_sc):
            if not any(matches(c, key) for key in scanned):
                problems.append("ddlgate says %s is scanned; PostgreSQL did not read it in full" % c)
    return problems


def explain(ddlgate, cwd, args, pg_version):
    """The last statement's claims of `ddlgate explain --format json`, or (None, why)."""
    p = subprocess.run([ddlgate, "explain", "--format", "json", "--pg-version", pg_version] + args,
                       cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, DDLGATE_NO_CACHE="1"))
    if p.returncode != 0:
        return None, "ddlgate explain exited %d: %s" % (p.returncode, p.stderr.strip())
    stmts = json.loads(p.stdout)["statements"]
    if not stmts:
        return None, "ddlgate explain listed no statement"
    return stmts[-1], None


def main():
    ddlgate, observe, conninfo, cases_path, pg_version, work = sys.argv[1:7]
    only = os.environ.get("DG_ORACLE_CASE")
    prelude, cases = parse_cases(cases_path)
    failed, run = [], 0
    for case in cases:
        if only and case["name"] != only:
            continue
        case["sql"] = "\n".join(case["stmt"]) + "\n"
        setup = os.path.join(work, "setup.sql")
        stmt = os.path.join(work, "stmt.sql")
        with open(setup, "w") as f:
            f.write(RESET + prelude + "\n" + "\n".join(case["setup"]) + "\n")
        with open(stmt, "w") as f:
            f.write(case["sql"])
        args = [observe, conninfo, setup, stmt]
        if case["notx"]:
            args += list(case["notx"])
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode != 0:
            failed.append((case["name"], ["pg_observe failed: " + p.stderr.strip()]))
            continue
        obs = json.loads(p.stdout)
        if "error" in obs:
            failed.append((case["name"], ["PostgreSQL rejected the case: " + obs["error"]]))
            continue
        # explain the statement alone, with the transaction the server saw
        cfg = os.path.join(work, "ddlgate.yml")
        with open(cfg, "w") as f:
            f.write("postgres_version: %s\n" % pg_version)
        # ddlgate sees the setup too (as an earlier part of the same file):
        # that is where it learns the old column types; only the last
        # statement's claims are compared
        body = ("BEGIN;\n" if case["in_tx"] else "") + case["sql"]
        ddl = os.path.join(work, "case.sql")
        with open(ddl, "w") as f:
            f.write(prelude + "\n" + "\n".join(case["setup"]) + "\n" + body)
        claim, err = explain(ddlgate, work, ["--config", cfg, ddl], pg_version)
        if err:
            failed.append((case["name"], [err]))
            continue
        # history-only: in one file the prelude's tables are new (and empty) to
        # ddlgate, which then rightly claims less: only the set pass is compared
        problems = [] if case["history_only"] else compare(case, obs, claim)
        # the same case as a migration set: the prelude and setup are the
        # first migration, the statement the second, explained alone (its
        # history is replayed from the set, as `explain FILE` does)
        setdir = os.path.join(work, "set")
        os.makedirs(os.path.join(setdir, ".git"), exist_ok=True)
        os.makedirs(os.path.join(setdir, "db"), exist_ok=True)
        with open(os.path.join(setdir, ".ddlgate.yml"), "w") as f:
            f.write("postgres_version: %s\nmigrations:\n  - {path: db, format: sql, naming: flyway}\n"
                    % pg_version)
        with open(os.path.join(setdir, "db", "V1__setup.sql"), "w") as f:
            f.write(prelude + "\n" + "\n".join(case["setup"]) + "\n")
        with open(os.path.join(setdir, "db", "V2__case.sql"), "w") as f:
            f.write(body)
        set_claim, err = explain(ddlgate, setdir, ["db/V2__case.sql"], pg_version)
        if err:
            problems.append("explain of the set's V2 alone: " + err)
        else:
            problems += ["explain FILE of a set: " + x for x in compare(case, obs, set_claim)]
        stmts = [claim]
        if os.environ.get("DG_ORACLE_VERBOSE"):
            print("# %s: pg=%s ddlgate=%s" % (case["name"], json.dumps(obs),
                                              json.dumps(stmts[-1])))
        run += 1
        if problems:
            failed.append((case["name"], problems))
        else:
            print("ok - %s%s" % (case["name"], " (no transaction block)" if case["notx"] else ""))
    for name, problems in failed:
        print("not ok - %s" % name)
        for p in problems:
            print("#   %s" % p)
    print("# %d cases checked against PostgreSQL %s, %d mismatched"
          % (len(cases) if not only else 1, pg_version, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
