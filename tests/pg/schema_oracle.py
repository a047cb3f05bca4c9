#!/usr/bin/env python3
"""The schema oracle: apply a migration history to a real PostgreSQL, read
the catalog, and compare it with what `ddlgate schema` and `ddlgate lint`
believe. Usage: schema_oracle.py DDLGATE CONN FIXTURE_DIR WORK

Checked, each against pg_catalog after the whole history ran:
  1. foreign keys without a covering index (the oracle's own query): exactly
     the set `ddlgate schema --format json` lists as unindexed_foreign_keys,
     and exactly the set `ddlgate lint --format json` reports as
     missing-fk-index errors, at the lines the fixture marks
     `-- expect: missing-fk-index`;
  2. every foreign key (table, name, columns, referenced table);
  3. every index (table, name, key columns, unique, partial, method);
  4. every table and column (with NOT NULL).
Tables created where the model cannot see (marked `-- opaque-table: s.t`:
SQL a DO block builds at run time) are left out of 3 and 4, and the DO
block is noted at its EXECUTE; a DO block's constant EXECUTE is replayed.
"""
import json
import os
import re
import shutil
import subprocess
import sys

DDLGATE, CONN, FIXTURE, WORK = sys.argv[1:5]

failures = []


def fail(msg):
    failures.append(msg)
    print("not ok - " + msg)


def psql(sql, db):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", CONN + " dbname=" + db, "-c", sql],
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit("psql failed: " + out.stderr)
    return [l.split("\t") for l in out.stdout.splitlines() if l]


def version_key(name):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


# ---- the project ddlgate looks at ----
proj = os.path.join(WORK, "proj")
mig = os.path.join(proj, "db", "migrations")
os.makedirs(mig)
files = sorted((f for f in os.listdir(FIXTURE) if f.endswith(".sql")), key=version_key)
for f in files:
    shutil.copy(os.path.join(FIXTURE, f), mig)
with open(os.path.join(proj, ".ddlgate.yml"), "w") as fh:
    fh.write("migrations:\n  - path: db/migrations\n    format: sql\n    naming: flyway\n")

# ---- the real server ----
db = "schema_oracle"
subprocess.run(["psql", "-X", "-q", "-d", CONN + " dbname=postgres", "-c",
                "DROP DATABASE IF EXISTS " + db], check=True, capture_output=True)
subprocess.run(["psql", "-X", "-q", "-d", CONN + " dbname=postgres", "-c",
                "CREATE DATABASE " + db], check=True, capture_output=True)
for f in files:
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", CONN + " dbname=" + db,
                        "-f", os.path.join(mig, f)], capture_output=True, text=True)
    if r.returncode:
        sys.exit("applying %s failed:\n%s" % (f, r.stderr))

USER_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"

# FKs whose columns are not the leading key columns (in any order) of a
# valid, full btree index of their table.
UNINDEXED = """
SELECT n.nspname, t.relname, c.conname,
       (SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND NOT EXISTS (
  SELECT 1 FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  WHERE i.indrelid = c.conrelid AND am.amname = 'btree' AND i.indpred IS NULL
    AND i.indisvalid AND i.indnkeyatts >= cardinality(c.conkey)
    AND (SELECT array_agg(x ORDER BY x) FROM unnest(c.conkey) x) =
        (SELECT array_agg(x ORDER BY x)
           FROM unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1]) x))
"""

ALL_FKS = """
SELECT n.nspname, t.relname, c.conname,
       (SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
       rn.nspname || '.' || r.relname
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_class r ON r.oid = c.confrelid
JOIN pg_namespace rn ON rn.oid = r.relnamespace
WHERE c.contype = 'f'
"""

INDEXES = """
SELECT n.nspname, t.relname, ic.relname,
       (SELECT string_agg(CASE WHEN k.n = 0 THEN '(expr)' ELSE a.attname END, ',' ORDER BY k.o)
          FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY k(n, o)
          LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n),
       i.indisunique::text, (i.indpred IS NOT NULL)::text, am.amname
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE """ + USER_NS

COLUMNS = """
SELECT n.nspname, t.relname, a.attname, a.attnotnull::text
FROM pg_attribute a
JOIN pg_class t ON t.oid = a.attrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND """ + USER_NS

# ---- what ddlgate believes ----
env = dict(os.environ, NO_COLOR="1")
sj = subprocess.run([DDLGATE, "schema", "--format", "json"], cwd=proj, capture_output=True,
                    text=True, env=env)
if sj.returncode:
    sys.exit("ddlgate schema failed (%d): %s" % (sj.returncode, sj.stderr))
sets = json.loads(sj.stdout)["sets"]
if len(sets) != 1:
    sys.exit("expected one migration set, got %d" % len(sets))
model = sets[0]["schema"]

lj = subprocess.run([DDLGATE, "lint", "--format", "json", "db/migrations"], cwd=proj,
                    capture_output=True, text=True, env=env)
if lj.returncode not in (0, 1):
    sys.exit("ddlgate lint failed (%d): %s" % (lj.returncode, lj.stderr))
findings = [f for f in json.loads(lj.stdout)["findings"]
            if f["rule"] == "missing-fk-index" and f["severity"] == "error"]

opaque = set()
expected_lines = set()
for f in files:
    with open(os.path.join(mig, f)) as fh:
        for no, line in enumerate(fh, 1):
            m = re.search(r"--\s*opaque-table:\s*(\S+)", line)
            if m:
                opaque.add(m.group(1))
            if re.search(r"--\s*expect:\s*missing-fk-index", line):
                expected_lines.add(("db/migrations/" + f, no))


def compare(what, want, got):
    want, got = set(want), set(got)
    for x in sorted(want - got):
        fail("%s: the server has %s, ddlgate does not" % (what, x))
    for x in sorted(got - want):
        fail("%s: ddlgate has %s, the server does not" % (what, x))
    if want == got:
        print("ok - %s: %d agree" % (what, len(want)))


# 1. unindexed FKs
oracle_unindexed = {(r[0], r[1], r[2], r[3]) for r in psql(UNINDEXED, db)}
model_unindexed = {(u["schema"], u["table"], u["constraint"], ",".join(u["columns"]))
                   for u in model["unindexed_foreign_keys"]}
compare("unindexed foreign keys (ddlgate schema)", oracle_unindexed, model_unindexed)

msg_re = re.compile(r'foreign key "([^"]+)" on "([^"]+)"')
lint_fks = set()
for f in findings:
    m = msg_re.search(f["message"])
    if not m:
        fail("missing-fk-index finding without a foreign key name: " + f["message"])
        continue
    lint_fks.add((m.group(2), m.group(1)))


def shown(schema, table):
    return table if schema == "public" else schema + "." + table


compare("unindexed foreign keys (ddlgate lint)",
        {(shown(r[0], r[1]), r[2]) for r in oracle_unindexed}, lint_fks)
compare("missing-fk-index finding lines", expected_lines,
        {(f["path"], f["line"]) for f in findings})
if len(findings) != len(oracle_unindexed):
    fail("%d missing-fk-index errors for %d unindexed foreign keys" %
         (len(findings), len(oracle_unindexed)))

# 2. every FK
model_fks = set()
for t in model["tables"]:
    for c in t["constraints"]:
        if c["type"] == "foreign key":
            ref = c["references"]
            model_fks.add((t["schema"], t["name"], c["name"], ",".join(c["columns"]),
                           ref["schema"] + "." + ref["table"]))
compare("foreign keys", {tuple(r) for r in psql(ALL_FKS, db)}, model_fks)

# 3. every index, 4. every column
def visible(schema, table):
    return schema + "." + table not in opaque


model_ix, model_cols = set(), set()
for t in model["tables"]:
    for ix in t["indexes"]:
        model_ix.add((t["schema"], t["name"], ix["name"],
                      ",".join(c if c is not None else "(expr)" for c in ix["columns"]),
                      "true" if ix["unique"] else "false", "true" if ix["partial"] else "false",
                      ix["method"]))
    for c in t["columns"]:
        model_cols.add((t["schema"], t["name"], c["name"], "true" if c["not_null"] else "false"))
compare("indexes", {tuple(r) for r in psql(INDEXES, db) if visible(r[0], r[1])}, model_ix)
compare("columns", {tuple(r) for r in psql(COLUMNS, db) if visible(r[0], r[1])}, model_cols)

# the DO block whose SQL is built at run time is noted, at its EXECUTE
notes = model.get("notes", [])
opaque_lines = set()
for f in files:
    with open(os.path.join(mig, f)) as fh:
        for no, line in enumerate(fh, 1):
            if re.search(r"EXECUTE format\(", line):
                opaque_lines.add(no)
if not opaque_lines or not any("cannot read" in n["message"] and n.get("line") in opaque_lines
                               for n in notes):
    fail("the DO block's SQL built at run time is not noted at its EXECUTE (lines %s; notes %s)"
         % (sorted(opaque_lines), notes))
else:
    print("ok - the DO block's SQL built at run time is noted at its EXECUTE")

if failures:
    print("# %d failure(s)" % len(failures))
    sys.exit(1)
print("# schema oracle: ddlgate agrees with PostgreSQL")
