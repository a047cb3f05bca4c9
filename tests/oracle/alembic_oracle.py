"""
Oracle for migration-multiple-heads on Alembic sets: random revision DAGs
(merges, branch labels, depends_on) written as real revision files in
every spelling ddlgate must read, heads computed by Alembic's own
RevisionMap (importing the files), compared with `ddlgate check --format json`.

usage: alembic_oracle.py DDLGATE N_GRAPHS SEED
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from alembic.script import ScriptDirectory


def q(rnd, s):
    """A Python string literal for s, in a random spelling."""
    style = rnd.randrange(7)
    if style == 0:
        return "'%s'" % s
    if style == 1:
        return '"%s"' % s
    if style == 2:
        return '"""%s"""' % s
    if style == 3 and len(s) > 2:
        k = rnd.randrange(1, len(s))
        return '"%s" \'%s\'' % (s[:k], s[k:])   # implicit concatenation
    if style == 4:
        return "u'%s'" % s
    if style == 5:
        return "r\"%s\"" % s
    return "'''%s'''" % s


def seq(rnd, items):
    lits = [q(rnd, x) for x in items]
    if rnd.random() < 0.5:
        body = ", ".join(lits) + ("," if len(lits) == 1 else "")
        return "(" + body + ")"
    if rnd.random() < 0.5:
        return "[\n    " + ",\n    ".join(lits) + ",\n]"
    return "[" + ", ".join(lits) + "]"


def value(rnd, items, scalar_ok=True):
    if not items:
        return "None"
    if len(items) == 1 and scalar_ok and rnd.random() < 0.7:
        return q(rnd, items[0])
    return seq(rnd, items)


def gen_graph(rnd):
    n = rnd.randint(1, 14)
    revs = []
    labels_used = 0
    for i in range(n):
        rid = "%012x" % rnd.getrandbits(48)
        if i == 0 or rnd.random() < 0.08:
            down = []
        else:
            k = 1 if rnd.random() < 0.75 else rnd.randint(2, 3)
            down = rnd.sample([r["id"] for r in revs], min(k, len(revs)))
        labels = []
        if rnd.random() < 0.15:
            labels = ["lab%d" % labels_used]
            labels_used += 1
        deps = []
        if revs and rnd.random() < 0.12:
            cand = [r["id"] for r in revs if r["id"] not in down]
            lab = [l for r in revs for l in r["labels"]]
            pool = cand + lab
            if pool:
                deps = [rnd.choice(pool)]
        revs.append({"id": rid, "down": down, "labels": labels, "deps": deps})
    return revs


def write_rev(rnd, d, r):
    annotated = rnd.random() < 0.3
    no_rev_var = rnd.random() < 0.1
    fname = r["id"] + ".py" if no_rev_var else "%s_%s.py" % (r["id"], "step")
    lines = ['"""a revision\n\nRevision ID: %s\n"""' % r["id"]]
    if annotated:
        lines.append("from typing import Sequence, Union")
    lines.append("from alembic import op  # noqa")
    lines.append("import sqlalchemy as sa")
    lines.append("")
    if not no_rev_var:
        lines.append(("revision: str = %s" if annotated else "revision = %s") % q(rnd, r["id"]))
    dv = value(rnd, r["down"])
    if annotated:
        lines.append("down_revision: Union[str, Sequence[str], None] = %s" % dv)
    elif rnd.random() < 0.2:
        lines.append("down_revision = (\n    %s\n)  # parenthesised" % dv)
    else:
        lines.append("down_revision = %s" % dv)
    if r["labels"] or rnd.random() < 0.5:
        lines.append("branch_labels = %s" % value(rnd, r["labels"]))
    if r["deps"] or rnd.random() < 0.5:
        lines.append("depends_on = %s" % value(rnd, r["deps"]))
    lines.append("")
    lines.append("\ndef upgrade():\n    op.execute(\"SELECT 1\")\n\n\ndef downgrade():\n    pass\n")
    with open(os.path.join(d, fname), "w") as f:
        f.write("\n".join(lines))


def expected(script_dir):
    sd = ScriptDirectory(script_dir)
    rm = sd.revision_map
    groups = {}
    for h in rm._real_heads:
        rev = rm.get_revision(h)
        groups.setdefault(frozenset(rev.branch_labels), []).append(h)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def actual(ddlgate, root):
    """Heads ddlgate reports, per graph directory (gN) under root: one run for all."""
    p = subprocess.run([ddlgate, "check", "--format", "json"], cwd=root,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("ddlgate exit %d: %s" % (p.returncode, p.stderr))
    out = json.loads(p.stdout)
    got = {}
    for f in out["findings"]:
        g = f["path"].split("/")[0]
        if f["rule"] == "migration-multiple-heads":
            m = re.search(r'merge heads" (.*)$', f["help"])
            got.setdefault(g, []).append(tuple(sorted(m.group(1).split())))
        elif f["severity"] == "error" or f["rule"].startswith("migration-"):
            raise RuntimeError("unexpected finding: %s" % f)
    return {g: sorted(v) for g, v in got.items()}


def main():
    ddlgate, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if os.sep in ddlgate:
        ddlgate = os.path.abspath(ddlgate)
    rnd = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="ddlgate-alembic-oracle-")
    failures = conflicts = 0
    want = {}
    try:
        # every graph is its own set (its own alembic.ini) in one tree: one ddlgate run
        for g in range(n):
            root = os.path.join(tmp, "g%d" % g)
            vers = os.path.join(root, "migrations", "versions")
            os.makedirs(vers)
            with open(os.path.join(root, "alembic.ini"), "w") as f:
                f.write("[alembic]\nscript_location = %(here)s/migrations\n")
            for r in gen_graph(rnd):
                write_rev(rnd, vers, r)
            w = expected(os.path.join(root, "migrations"))
            if w:
                want["g%d" % g] = w
        got = actual(ddlgate, tmp)
        conflicts = len(want)
        for g in sorted(set(want) | set(got)):
            if want.get(g) != got.get(g):
                failures += 1
                print("MISMATCH %s/%s: alembic %s, ddlgate %s" % (tmp, g, want.get(g), got.get(g)))
    finally:
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
    print("alembic oracle: %d graphs, %d with conflicting heads, %d mismatches"
          % (n, conflicts, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
