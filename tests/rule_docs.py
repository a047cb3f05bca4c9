#!/usr/bin/env python3
"""Runs the examples of every rule doc (rules/<id>.md) through the binary.

For every rule that `ddlgate rules --format json` lists, rules/<id>.md must
exist, start with `# <id>`, state `Default severity: <level>` as the binary
does, and either carry fenced ```sql bad / ```sql good examples (at least
one of each) or a `<!-- examples: tests/e2e/<x>.sh -->` line naming an
existing test script. Live-database examples (`sql live-bad`, `sql live-good`, `sql migration`)
are left to the tests/pg script the doc names, which must exist.
Each example is written to a file and linted with
`--format json --rule <id>=error`; a bad one must report the rule at its
`line=N` (default 1), a good one must not report it, and neither may be a
syntax error (unless the rule is sql-syntax-error itself), so an example
cannot pass by not parsing. An example with `merge=yes` gives one migration
file as it is on the merge base, the base branch and the pull request's
branch (sections after `-- merge base:`, `-- base branch:`, `-- pull
request:` lines; a missing section means no such file there; an optional
`-- config:` section is added to the repository's .ddlgate.yml, and
`file=NAME` names the file, V1__example.sql by default); it is committed to
a real repository with the git CLI and checked with
`ddlgate ci --base main --head topic`. ```python bad django / ```python
good alembic examples are migrations of a Django app or an Alembic tree
(after the doc's ```python setup django|alembic block, when it has one),
linted as such. See rules/README.md for the format.

usage: rule_docs.py [--docs DIR] [--src DIR] [--only ID]...
environment: DDLGATE (the binary), DG_SRC (the source tree)
Exit status 0 when every doc and example is right, 1 otherwise.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*(.*)$")
EXAMPLES_MARK = re.compile(r"<!--\s*examples:\s*(\S+)\s*-->")
SEVERITY_LINE = re.compile(r"^Default severity:\s*`?(error|warning|off)`?\s*$", re.M)
SETTINGS = {"line", "pg", "tx", "merge", "file"}
# examples on a live database (audit): run by the tests/pg script the doc names
LIVE_KINDS = {"live-bad", "live-good", "migration"}
# merge=yes examples: the file on each side, after a line naming the side
MERGE_SIDES = {"-- merge base:": "base", "-- base branch:": "main", "-- pull request:": "topic",
               "-- config:": "config"}
# a merge=yes example's file name (file=NAME): a migration name of the set's directory
FILE_NAME = re.compile(r"[A-Za-z0-9_.-]+\.sql")


class Runner:
    def __init__(self, binary, src, docs):
        self.binary = binary
        self.src = src
        self.docs = docs
        self.failures = 0
        self.n = 0

    def ok(self, what):
        self.n += 1
        print("ok %d - %s" % (self.n, what))

    def fail(self, what):
        self.n += 1
        self.failures += 1
        print("not ok %d - FAIL %s" % (self.n, what))

    def rules(self):
        try:
            out = subprocess.run([self.binary, "rules", "--format", "json"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 timeout=60, check=False)
        except OSError as e:
            self.fail("cannot run %s rules --format json: %s" % (self.binary, e))
            return []
        if out.returncode != 0:
            self.fail("`ddlgate rules --format json` exited %d: %s"
                      % (out.returncode, out.stderr.decode(errors="replace").strip()))
            return []
        try:
            doc = json.loads(out.stdout.decode())
            return [(r["id"], r["severity"]) for r in doc["rules"]]
        except (ValueError, KeyError, TypeError) as e:
            self.fail("`ddlgate rules --format json` is not the expected JSON: %s" % e)
            return []

    @staticmethod
    def blocks(text):
        """Fenced blocks as (start line of the fence, info string, body)."""
        out = []
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            m = FENCE.match(lines[i])
            if not m:
                i += 1
                continue
            indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
            start = i + 1
            body = []
            i += 1
            closed = False
            while i < len(lines):
                c = lines[i]
                stripped = c.lstrip(" ")
                if (len(c) - len(stripped) <= 3 and stripped.startswith(fence[0] * len(fence))
                        and stripped.strip(fence[0]).strip() == ""):
                    closed = True
                    break
                # CommonMark: strip up to the fence's indentation
                k = 0
                while k < indent and k < len(c) and c[k] == " ":
                    k += 1
                body.append(c[k:])
                i += 1
            out.append((start, info, "\n".join(body) + "\n", closed))
            i += 1
        return out

    def lint(self, rule, sql, settings):
        """Run the binary on one example; returns (exit status, findings, stderr)."""
        tmp = tempfile.mkdtemp(prefix="ddlgate-ruledoc.")
        try:
            sub = os.path.join(tmp, "m")
            os.mkdir(sub)
            # a .git marker makes tmp the repository root, whatever TMPDIR is
            os.mkdir(os.path.join(tmp, ".git"))
            path = os.path.join(sub, "example.sql")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(sql)
            cfg = os.path.join(tmp, ".ddlgate.yml")
            with open(cfg, "w", encoding="utf-8") as f:
                if "tx" in settings:
                    f.write("migrations:\n  - {path: m, format: sql, transaction: %s}\n"
                            % settings["tx"])
                else:
                    f.write("{}\n")
            cmd = [self.binary, "lint", "--format", "json", "--config", cfg,
                   "--rule", "%s=error" % rule]
            if "pg" in settings:
                cmd += ["--pg-version", settings["pg"]]
            cmd.append("m/example.sql")
            try:
                p = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired) as e:
                return -1, None, str(e)
            err = p.stderr.decode(errors="replace").strip()
            try:
                doc = json.loads(p.stdout.decode())
                findings = doc["findings"]
            except (ValueError, KeyError, TypeError) as e:
                return p.returncode, None, "%s (output is not JSON: %s)" % (err, e)
            return p.returncode, findings, err
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def merge_sections(body):
        """The file on each side of a merge=yes example, or None when malformed."""
        sides = {}
        cur = None
        for line in body.split("\n"):
            if line.strip() in MERGE_SIDES:
                cur = MERGE_SIDES[line.strip()]
                if cur in sides:
                    return None
                sides[cur] = []
            elif cur is None:
                if line.strip():
                    return None
            else:
                sides[cur].append(line)
        if not set(sides) - {"config"}:
            return None
        return {k: "\n".join(v).rstrip("\n") + "\n" for k, v in sides.items()}

    def ci_merge(self, rule, sides, name="V1__example.sql"):
        """Commit the example's sides to a real repository and run `ddlgate ci` on it."""
        tmp = tempfile.mkdtemp(prefix="ddlgate-ruledoc.")
        env = dict(os.environ, HOME=tmp, GIT_CONFIG_NOSYSTEM="1",
                   GIT_CONFIG_GLOBAL=os.path.join(tmp, ".gitconfig"),
                   GIT_AUTHOR_NAME="Doc", GIT_AUTHOR_EMAIL="doc@example.com",
                   GIT_COMMITTER_NAME="Doc", GIT_COMMITTER_EMAIL="doc@example.com",
                   GIT_AUTHOR_DATE="2026-01-02T03:04:05Z",
                   GIT_COMMITTER_DATE="2026-01-02T03:04:05Z")
        for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            env.pop(k, None)
        repo = os.path.join(tmp, "w")
        path = os.path.join(repo, "m", name)

        def git(*args):
            subprocess.run(["git", "-C", repo] + list(args), env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

        def put(side):
            if side in sides:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(sides[side])
            elif os.path.exists(path):
                os.remove(path)
            git("add", "-A")
            git("commit", "-q", "--allow-empty", "-m", "example: " + side)
        try:
            subprocess.run(["git", "init", "-q", "-b", "main", repo], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            with open(os.path.join(repo, ".ddlgate.yml"), "w", encoding="utf-8") as f:
                f.write("migrations:\n  - {path: m, format: sql}\n" + sides.get("config", ""))
            put("base")
            git("checkout", "-q", "-b", "topic")
            put("topic")
            git("checkout", "-q", "main")
            put("main")
            git("checkout", "-q", "topic")
            cmd = [self.binary, "ci", "--base", "main", "--head", "topic", "--format", "json",
                   "--rule", "%s=error" % rule]
            try:
                p = subprocess.run(cmd, cwd=repo, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired) as e:
                return -1, None, str(e)
            err = p.stderr.decode(errors="replace").strip()
            try:
                findings = json.loads(p.stdout.decode())["findings"]
            except (ValueError, KeyError, TypeError) as e:
                return p.returncode, None, "%s (output is not JSON: %s)" % (err, e)
            return p.returncode, findings, err
        except (OSError, subprocess.SubprocessError) as e:
            return -1, None, "cannot build the example's repository: %s" % e
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def lint_python(self, rule, framework, body, setup, settings):
        """A Django or Alembic example: the migration after the setup one."""
        tmp = tempfile.mkdtemp(prefix="ddlgate-ruledoc.")
        try:
            os.mkdir(os.path.join(tmp, ".git"))
            if framework == "django":
                d = os.path.join(tmp, "shop", "migrations")
                os.makedirs(d)
                for name in (os.path.join(tmp, "shop", "__init__.py"), os.path.join(d, "__init__.py")):
                    open(name, "w").close()
                target = "shop/migrations/0002_example.py"
            else:
                d = os.path.join(tmp, "alembic", "versions")
                os.makedirs(d)
                with open(os.path.join(tmp, "alembic.ini"), "w") as f:
                    f.write("[alembic]\nscript_location = alembic\n")
                target = "alembic/versions/0002_example.py"
            if setup:
                with open(os.path.join(d, "0001_setup.py"), "w", encoding="utf-8") as f:
                    f.write(setup)
            with open(os.path.join(tmp, target), "w", encoding="utf-8", newline="") as f:
                f.write(body)
            cmd = [self.binary, "lint", "--format", "json", "--rule", "%s=error" % rule]
            if "pg" in settings:
                cmd += ["--pg-version", settings["pg"]]
            cmd.append(target)
            try:
                p = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired) as e:
                return -1, None, str(e)
            err = p.stderr.decode(errors="replace").strip()
            try:
                findings = json.loads(p.stdout.decode())["findings"]
            except (ValueError, KeyError, TypeError) as e:
                return p.returncode, None, "%s (output is not JSON: %s)" % (err, e)
            if "not modelled" in err or "could not be read" in err or "not created by" in err:
                return 2, None, "the example is not fully modelled: " + err
            return p.returncode, findings, err
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def check_example(self, rel, rule, start, info, body, setups=None):
        words = info.split()
        kind = words[1]
        framework = None
        if words[0] == "python":
            framework = words[2] if len(words) > 2 else ""
            if framework not in ("django", "alembic"):
                self.fail("%s:%d: ```%s: a python example names django or alembic" % (rel, start, info))
                return
            words = words[:2] + words[3:]
        where = "%s:%d (```%s)" % (rel, start, info)
        settings = {}
        for w in words[2:]:
            if "=" not in w:
                self.fail("%s: setting '%s' is not KEY=VALUE" % (where, w))
                return
            k, v = w.split("=", 1)
            if k not in SETTINGS:
                self.fail("%s: unknown setting '%s' (line, pg, tx, merge)" % (where, k))
                return
            settings[k] = v
        if "line" in settings and kind != "bad":
            self.fail("%s: line= applies only to bad examples" % where)
            return
        if "line" in settings and not re.fullmatch(r"[1-9][0-9]*", settings["line"]):
            self.fail("%s: line must be a positive number" % where)
            return
        if "pg" in settings and not re.fullmatch(r"1[0-8]", settings["pg"]):
            self.fail("%s: pg must be a major version from 10 to 18" % where)
            return
        if "tx" in settings and settings["tx"] not in ("yes", "no"):
            self.fail("%s: tx must be yes or no" % where)
            return
        sides = None
        if "merge" in settings:
            if settings["merge"] != "yes" or set(settings) - {"merge", "line", "file"}:
                self.fail("%s: merge=yes takes no other setting than line= and file=" % where)
                return
            if "file" in settings and not FILE_NAME.fullmatch(settings["file"]):
                self.fail("%s: file= is a file name ending in .sql" % where)
                return
            sides = self.merge_sections(body)
            if sides is None:
                self.fail("%s: a merge=yes example is sections after '-- merge base:', "
                          "'-- base branch:' and '-- pull request:' lines" % where)
                return
            # a finding points into the branch's file (the base's, where the branch deleted it)
            body = sides.get("topic", sides.get("main", ""))
        if not body.strip() and "merge" not in settings:
            self.fail("%s: empty example" % where)
            return
        want_line = int(settings.get("line", "1"))
        if kind == "bad" and want_line > body.count("\n"):
            self.fail("%s: line=%d is past the end of the example" % (where, want_line))
            return

        if "file" in settings and sides is None:
            self.fail("%s: file= applies only to merge=yes examples" % where)
            return
        if sides is not None:
            rc, findings, err = self.ci_merge(rule, sides, settings.get("file", "V1__example.sql"))
        elif framework:
            rc, findings, err = self.lint_python(rule, framework, body,
                                                 (setups or {}).get(framework), settings)
        else:
            rc, findings, err = self.lint(rule, body, settings)
        if findings is None or rc not in (0, 1):
            self.fail("%s: ddlgate %s exited %d: %s" % (where, "ci" if sides else "lint", rc,
                                                        err or "(no message)"))
            return
        mine = [f for f in findings if f.get("rule") == rule]
        syntax = [f for f in findings if f.get("rule") == "sql-syntax-error"]
        if rule != "sql-syntax-error" and syntax:
            self.fail("%s: the example does not parse: line %s: %s"
                      % (where, syntax[0].get("line"), syntax[0].get("message")))
            return
        if kind == "bad":
            at = [f for f in mine if f.get("line") == want_line]
            if not at:
                got = ", ".join("line %s" % f.get("line") for f in mine) or "nothing"
                self.fail("%s: bad example must report %s at line %d; got %s"
                          % (where, rule, want_line, got))
                return
            if rc == 0 and at[0].get("severity") == "error":
                self.fail("%s: error finding but exit status 0" % where)
                return
            self.ok("%s reports %s at line %d" % (where, rule, want_line))
        else:
            if mine:
                self.fail("%s: good example must not report %s; got line %s: %s"
                          % (where, rule, mine[0].get("line"), mine[0].get("message")))
                return
            self.ok("%s does not report %s" % (where, rule))

    def check_doc(self, rule, severity):
        rel = "rules/%s.md" % rule
        path = os.path.join(self.docs, rule + ".md")
        if not os.path.isfile(path):
            self.fail("%s: missing (every rule `ddlgate rules` lists needs its doc)" % rel)
            return
        with open(path, encoding="utf-8") as f:
            text = f.read()
        first = text.lstrip("\n").split("\n", 1)[0].strip()
        if first != "# " + rule:
            self.fail("%s: first line must be '# %s', not '%s'" % (rel, rule, first))
        m = SEVERITY_LINE.search(text)
        if not m:
            self.fail("%s: no 'Default severity: %s' line" % (rel, severity))
        elif m.group(1) != severity:
            self.fail("%s: says 'Default severity: %s' but the rule's default is %s"
                      % (rel, m.group(1), severity))

        bad = good = live = 0
        setups = {}
        for start, info, body, closed in self.blocks(text):
            words = info.split()
            if len(words) == 3 and words[0] == "python" and words[1] == "setup" and closed:
                setups[words[2]] = body
        for start, info, body, closed in self.blocks(text):
            words = info.split()
            if len(words) >= 2 and words[0] == "sql" and words[1] in LIVE_KINDS:
                live += 1
                if not body.strip():
                    self.fail("%s:%d: empty ```%s example" % (rel, start, info))
                continue
            if len(words) < 2 or words[0] not in ("sql", "python") or words[1] not in ("bad", "good"):
                if words and words[0] == "sql" and len(words) > 1:
                    self.fail("%s:%d: ```%s: an sql example is 'sql bad', 'sql good', "
                              "'sql live-bad', 'sql live-good' or 'sql migration'"
                              % (rel, start, info))
                continue
            if not closed:
                self.fail("%s:%d: unterminated code block" % (rel, start))
                continue
            if words[1] == "bad":
                bad += 1
            else:
                good += 1
            self.check_example(rel, rule, start, info, body, setups)

        marks = EXAMPLES_MARK.findall(text)
        for script in marks:
            if not re.fullmatch(r"tests/(e2e|pg)/[A-Za-z0-9_.-]+\.sh", script):
                self.fail("%s: examples script '%s' must be tests/e2e/<name>.sh" % (rel, script))
            elif not os.path.isfile(os.path.join(self.src, script)):
                self.fail("%s: examples script %s does not exist" % (rel, script))
            else:
                self.ok("%s: examples in %s" % (rel, script))
        if live and not any(m.startswith("tests/pg/") for m in marks):
            self.fail("%s: has live examples but no <!-- examples: tests/pg/<x>.sh --> line "
                      "naming the test that runs them" % rel)
        if bad or good:
            if not bad:
                self.fail("%s: has sql good examples but no sql bad example" % rel)
            if not good:
                self.fail("%s: has sql bad examples but no sql good example" % rel)
        elif not marks:
            self.fail("%s: no ```sql bad / ```sql good examples and no "
                      "<!-- examples: tests/e2e/<x>.sh --> line" % rel)

    def run(self, only):
        rules = self.rules()
        if not rules:
            self.fail("no rules listed")
        ids = {r for r, _ in rules}
        for rule, sev in rules:
            if only and rule not in only:
                continue
            self.check_doc(rule, sev)
        if not only and os.path.isdir(self.docs):
            for name in sorted(os.listdir(self.docs)):
                if name.endswith(".md") and name != "README.md" and name[:-3] not in ids:
                    self.fail("rules/%s: no rule with id '%s' (a typo in the file name?)"
                              % (name, name[:-3]))
        print("1..%d" % self.n)
        if self.failures:
            print("# %d of %d failed" % (self.failures, self.n))
        return 1 if self.failures or self.n == 0 else 0


def main(argv):
    src = os.environ.get("DG_SRC", ".")
    docs = None
    only = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--docs", "--src", "--only") and i + 1 < len(argv):
            if a == "--docs":
                docs = argv[i + 1]
            elif a == "--src":
                src = argv[i + 1]
            else:
                only.append(argv[i + 1])
            i += 2
            continue
        print("usage: rule_docs.py [--docs DIR] [--src DIR] [--only ID]...", file=sys.stderr)
        return 2
    binary = os.environ.get("DDLGATE")
    if not binary:
        print("rule_docs.py: DDLGATE must name the built binary", file=sys.stderr)
        return 2
    binary = os.path.abspath(binary)
    if docs is None:
        docs = os.path.join(src, "rules")
    return Runner(binary, src, docs).run(set(only))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
