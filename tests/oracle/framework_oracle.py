"""
Oracle for the frameworks stage: ddlgate reads Django and Alembic
migrations without running Python and lints the SQL it believes the
framework runs. Here the frameworks themselves say what they run:

- Django: every migration of fixtures/frameworks/django, in the order
  Django plans them, applied by Django's migration executor to a real
  PostgreSQL; every statement its schema editor executes is recorded (the
  machinery `sqlmigrate` prints from, run for real: sqlmigrate alone
  introspects the database before the migration's own statements ran, so
  after a RenameModel it misses the constraints it would really drop),
  with BEGIN / COMMIT around atomic migrations as sqlmigrate prints them;
- Alembic: every revision of fixtures/frameworks/alembic through
  `alembic upgrade PREV:REV --sql` (offline, transaction_per_migration).

Each framework's SQL becomes a plain SQL migration set (one file per
migration, in the same order), linted with every rule on. The rule ids
reported for each migration must be exactly those reported for the .py
migration itself: same rules, same count.

usage: framework_oracle.py DDLGATE PG_SOCKET_DIR SRC_DIR WORK_DIR [django|alembic]...
"""
import collections
import io
import json
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def all_rules_on(ddlgate):
    """--rule flags that switch on the rules that are off by default."""
    rc, out, err = run([ddlgate, "rules", "--format", "json"], ".")
    if rc != 0:
        raise SystemExit("ddlgate rules failed: %s" % err)
    return ["--rule=%s=warning" % r["id"] for r in json.loads(out)["rules"] if r["severity"] == "off"]


def lint(ddlgate, root, paths, flags):
    rc, out, err = run([ddlgate, "lint", "--format", "json"] + flags + paths, root)
    if rc not in (0, 1):
        raise SystemExit("ddlgate lint %s exited %d: %s" % (" ".join(paths), rc, err))
    return json.loads(out)["findings"], err


def rule_ids(findings, path):
    return collections.Counter(f["rule"] for f in findings if f["path"] == path)


# ---- Django ----

def django_sql(project, sock, dbname):
    """[(app, name, sql)] in Django's plan order, each migration applied after its SQL is read."""
    import psycopg2
    conn = psycopg2.connect(host=sock, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS "%s"' % dbname)
        cur.execute('CREATE DATABASE "%s"' % dbname)
    conn.close()
    sys.path.insert(0, project)
    import django
    from django.conf import settings
    apps = sorted(d for d in os.listdir(project) if os.path.isdir(os.path.join(project, d, "migrations")))
    settings.configure(
        INSTALLED_APPS=apps, USE_TZ=True,
        DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": dbname,
                               "HOST": sock, "USER": "postgres"}})
    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    executed = []
    real_execute = BaseDatabaseSchemaEditor.execute

    def record(self, sql, params=()):
        # as collect_sql() renders a statement: parameters quoted into it, ';' at the end
        text = str(sql)
        if params:
            text = text % tuple(map(self.quote_value, params))
        executed.append(text if text.rstrip().endswith(";") else text + ";")
        return real_execute(self, sql, params)

    BaseDatabaseSchemaEditor.execute = record
    ex = MigrationExecutor(connection)
    plan = ex.migration_plan(ex.loader.graph.leaf_nodes())
    out = []
    for mig, _ in plan:
        del executed[:]
        ex.migrate([(mig.app_label, mig.name)])
        ex.loader.build_graph()
        # Django's own bookkeeping table is not the migration's SQL
        statements = [x for x in executed if "django_migrations" not in x]
        # sqlmigrate wraps an atomic migration in BEGIN / COMMIT (can_rollback_ddl)
        if mig.atomic:
            statements = ["BEGIN;"] + statements + ["COMMIT;"]
        out.append((mig.app_label, mig.name, "\n".join(statements) + "\n"))
    BaseDatabaseSchemaEditor.execute = real_execute
    return out


def check_django(ddlgate, sock, src, work, flags):
    project = os.path.join(work, "django")
    shutil.copytree(os.path.join(src, "fixtures", "frameworks", "django"), project)
    os.makedirs(os.path.join(project, ".git"))
    migs = django_sql(project, sock, "ddlgate_oracle_django")
    sqldir = os.path.join(project, "sqlset")
    os.makedirs(sqldir)
    pairs = []
    for i, (app, name, sql) in enumerate(migs):
        sqlpath = "sqlset/%04d_%s_%s.sql" % (i + 1, app, name)
        with open(os.path.join(project, sqlpath), "w") as f:
            f.write(sql)
        pairs.append(("%s/migrations/%s.py" % (app, name), sqlpath))
    apps = sorted({a for a, _, _ in migs})
    return compare(ddlgate, project, pairs, ["%s/migrations" % a for a in apps], ["sqlset"], flags)


# ---- Alembic ----

def check_alembic(ddlgate, src, work, flags):
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    project = os.path.join(work, "alembic")
    shutil.copytree(os.path.join(src, "fixtures", "frameworks", "alembic"), project)
    os.makedirs(os.path.join(project, ".git"))
    os.environ["ALEMBIC_TX_PER_MIGRATION"] = "1"
    cwd = os.getcwd()
    os.chdir(project)
    try:
        script = ScriptDirectory.from_config(Config("alembic.ini"))
        revs = list(reversed(list(script.walk_revisions("base", "heads"))))
        sqldir = os.path.join(project, "sqlset")
        os.makedirs(sqldir)
        pairs = []
        for i, rev in enumerate(revs):
            buf = io.StringIO()
            cfg = Config("alembic.ini", output_buffer=buf)
            target = rev.revision if not rev.down_revision else "%s:%s" % (rev.down_revision, rev.revision)
            command.upgrade(cfg, target, sql=True)
            # Alembic's own bookkeeping is not the migration's SQL
            stmts = [s for s in buf.getvalue().split(";\n\n") if "alembic_version" not in s]
            sqlpath = "sqlset/%04d_%s.sql" % (i + 1, rev.revision)
            with open(sqlpath, "w") as f:
                f.write(";\n\n".join(stmts))
            pairs.append((os.path.relpath(rev.path, project), sqlpath))
    finally:
        os.chdir(cwd)
    return compare(ddlgate, project, pairs, ["migrations/versions"], ["sqlset"], flags)


def compare(ddlgate, project, pairs, py_paths, sql_paths, flags):
    py, py_err = lint(ddlgate, project, py_paths, flags)
    sql, _ = lint(ddlgate, project, sql_paths, flags)
    fails = 0
    for pypath, sqlpath in pairs:
        want = rule_ids(sql, sqlpath)
        got = rule_ids(py, pypath)
        if want == got:
            print("ok - %s: %s" % (pypath, ", ".join(sorted(want.elements())) or "no findings"))
            continue
        fails += 1
        print("not ok - %s: the framework's SQL reports %s; ddlgate on the .py file reports %s"
              % (pypath, dict(want), dict(got)))
        print("# the framework's SQL (%s):" % sqlpath)
        with open(os.path.join(project, sqlpath)) as f:
            print("\n".join("#   " + line for line in f.read().splitlines()))
        rc, out, _ = run([ddlgate, "explain", pypath], project)
        print("# ddlgate's SQL for %s:" % pypath)
        print("\n".join("#   " + line for line in out.splitlines() if line.startswith("  |")))
    if py_err.strip():
        print("# notes: " + py_err.strip().replace("\n", "\n# notes: "))
    return fails


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    ddlgate, sock, src, work = argv[1:5]
    which = argv[5:] or ["django", "alembic"]
    flags = all_rules_on(ddlgate)
    fails = 0
    if "django" in which:
        fails += check_django(ddlgate, sock, src, work, flags)
    if "alembic" in which:
        fails += check_alembic(ddlgate, src, work, flags)
    print("# %s" % ("all migrations agree" if not fails else "%d migrations disagree" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
