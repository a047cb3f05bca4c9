#!/usr/bin/env python3
"""Validate a SARIF log written by ddlgate.

usage: validate.py SCHEMA LOG [--root DIR] [--expect-results N] [--require-jsonschema]

Three layers, all offline:
  1. the SARIF 2.1.0 JSON schema (fixtures/sarif/), checked by a small
     draft-04 validator below that knows every keyword the schema uses;
  2. the same schema through the `jsonschema` module when the interpreter
     has it (Debian: python3-jsonschema), as a cross-check; with
     --require-jsonschema a missing module is an error, not a quiet pass;
  3. what the schema cannot say: rule ids unique, every result's ruleId /
     ruleIndex naming a rule of tool.driver, regions ordered, uris relative
     references that name files under --root.
Prints one line per problem and exits 1 when there is any.
"""
import json
import re
import sys
import urllib.parse

problems = []


def problem(where, msg):
    problems.append("%s: %s" % (where or "$", msg))


# ---- 1. a draft-04 subset validator ----

def type_ok(value, t):
    if isinstance(t, list):
        return any(type_ok(value, x) for x in t)
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "null":
        return value is None
    raise SystemExit("validate.py: schema type %r not supported" % t)


KNOWN = {"$schema", "id", "title", "description", "default", "type", "$ref",
         "properties", "required", "additionalProperties", "items", "minItems",
         "uniqueItems", "minimum", "maximum", "pattern", "format", "enum",
         "anyOf", "oneOf", "definitions"}


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SystemExit("validate.py: only local $ref supported, not %r" % ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def check(root, schema, value, where, out):
    """Append problems of value against schema to out."""
    unknown = set(schema) - KNOWN
    if unknown:
        raise SystemExit("validate.py: schema keywords not supported: %s" % sorted(unknown))
    if "$ref" in schema:
        check(root, resolve(root, schema["$ref"]), value, where, out)
        return
    if "type" in schema and not type_ok(value, schema["type"]):
        out.append((where, "is %s, want type %s" % (type(value).__name__, schema["type"])))
        return
    if "enum" in schema and value not in schema["enum"]:
        out.append((where, "%r is not one of %r" % (value, schema["enum"])))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append((where, "%r < minimum %r" % (value, schema["minimum"])))
        if "maximum" in schema and value > schema["maximum"]:
            out.append((where, "%r > maximum %r" % (value, schema["maximum"])))
    if isinstance(value, str) and "pattern" in schema:
        if not re.search(schema["pattern"], value):
            out.append((where, "%r does not match %r" % (value, schema["pattern"])))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append((where, "fewer than %d items" % schema["minItems"]))
        if schema.get("uniqueItems"):
            seen = []
            for v in value:
                key = json.dumps(v, sort_keys=True)
                if key in seen:
                    out.append((where, "items are not unique"))
                    break
                seen.append(key)
        if "items" in schema:
            for i, v in enumerate(value):
                check(root, schema["items"], v, "%s[%d]" % (where, i), out)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for req in schema.get("required", []):
            if req not in value:
                out.append((where, "required property %r is missing" % req))
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            sub = "%s.%s" % (where, k)
            if k in props:
                check(root, props[k], v, sub, out)
            elif extra is False:
                out.append((where, "property %r is not allowed" % k))
            elif isinstance(extra, dict):
                check(root, extra, v, sub, out)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            ok = 0
            for alt in schema[key]:
                sub = []
                check(root, alt, value, where, sub)
                ok += not sub
            if (key == "anyOf" and ok == 0) or (key == "oneOf" and ok != 1):
                out.append((where, "matches %d of the %s alternatives" % (ok, key)))


# ---- 3. SARIF rules beyond the schema ----

def check_uri(uri, where, root):
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri):
        problem(where, "uri %r is absolute (has a scheme); want relative to the repository" % uri)
    if uri.startswith("/"):
        problem(where, "uri %r starts with '/'" % uri)
    if re.search(r"[^A-Za-z0-9\-._~/%!$&'()*+,;=@]", uri) or re.search(r"%(?![0-9A-Fa-f]{2})", uri):
        problem(where, "uri %r is not a valid URI reference (unescaped character)" % uri)
    if root is not None:
        import os
        path = urllib.parse.unquote(uri)
        if not os.path.isfile(os.path.join(root, path)):
            problem(where, "uri %r names no file under %s" % (uri, root))


def check_sarif(log, root):
    if log.get("version") != "2.1.0":
        problem("$.version", "want \"2.1.0\"")
    n_results = 0
    for ri, run in enumerate(log.get("runs", [])):
        w = "$.runs[%d]" % ri
        driver = run.get("tool", {}).get("driver", {})
        for key in ("name", "version", "informationUri", "rules"):
            if key not in driver:
                problem(w + ".tool.driver", "has no %s" % key)
        rules = driver.get("rules", [])
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            problem(w + ".tool.driver.rules", "rule ids are not unique")
        for i, r in enumerate(rules):
            rw = "%s.tool.driver.rules[%d]" % (w, i)
            for key in ("shortDescription", "fullDescription", "help"):
                if not r.get(key, {}).get("text"):
                    problem(rw, "%s.text is missing or empty" % key)
            if r.get("defaultConfiguration", {}).get("level") not in ("none", "note", "warning", "error"):
                problem(rw, "defaultConfiguration.level is missing")
        for i, res in enumerate(run.get("results", [])):
            n_results += 1
            resw = "%s.results[%d]" % (w, i)
            rid = res.get("ruleId")
            if rid not in ids:
                problem(resw, "ruleId %r names no rule of tool.driver" % rid)
            if "ruleIndex" in res and (res["ruleIndex"] >= len(ids) or ids[res["ruleIndex"]] != rid):
                problem(resw, "ruleIndex %r does not point at %r" % (res["ruleIndex"], rid))
            if res.get("level") not in ("none", "note", "warning", "error"):
                problem(resw, "level is missing")
            if not res.get("message", {}).get("text"):
                problem(resw, "message.text is missing or empty")
            for li, loc in enumerate(res.get("locations", [])):
                lw = "%s.locations[%d].physicalLocation" % (resw, li)
                pl = loc.get("physicalLocation")
                al = (pl or {}).get("artifactLocation", {})
                if "uri" in al:
                    check_uri(al["uri"], lw + ".artifactLocation", root)
                elif not al.get("description", {}).get("text"):
                    # only a pseudo file (standard input) may go without a uri
                    problem(lw, "artifactLocation has neither uri nor description")
                    continue
                reg = pl.get("region")
                if reg is None:
                    continue
                for key in ("startLine", "startColumn", "endLine", "endColumn"):
                    if key not in reg:
                        problem(lw + ".region", "has no %s" % key)
                sl, sc = reg.get("startLine", 1), reg.get("startColumn", 1)
                el, ec = reg.get("endLine", sl), reg.get("endColumn", sc + 1)
                if el < sl or (el == sl and ec <= sc):
                    problem(lw + ".region", "ends before it starts: %r" % reg)
    return n_results


def main(argv):
    args = list(argv[1:])
    root = None
    expect = None
    if "--root" in args:
        i = args.index("--root")
        root = args[i + 1]
        del args[i:i + 2]
    if "--expect-results" in args:
        i = args.index("--expect-results")
        expect = int(args[i + 1])
        del args[i:i + 2]
    require_jsonschema = "--require-jsonschema" in args
    if require_jsonschema:
        args.remove("--require-jsonschema")
    if len(args) != 2:
        raise SystemExit(__doc__)
    with open(args[0], encoding="utf-8") as f:
        schema = json.load(f)
    with open(args[1], encoding="utf-8") as f:
        text = f.read()
    try:
        log = json.loads(text)
    except ValueError as e:
        print("%s: not JSON: %s" % (args[1], e))
        return 1

    out = []
    check(schema, schema, log, "$", out)
    for where, msg in out:
        problem(where, "schema: " + msg)
    try:
        import jsonschema
    except ImportError:
        if require_jsonschema:
            print("%s: --require-jsonschema, but %s has no jsonschema module"
                  % (args[1], sys.executable))
            return 1
        jsonschema = None
    if jsonschema is not None:
        for err in jsonschema.Draft4Validator(schema).iter_errors(log):
            path = "$" + "".join("[%d]" % p if isinstance(p, int) else ".%s" % p
                                 for p in err.absolute_path)
            problem(path, "jsonschema: " + err.message)
    n = check_sarif(log, root)
    if expect is not None and n != expect:
        problem("$.runs", "%d results, want %d" % (n, expect))
    for p in problems:
        print("%s: %s" % (args[1], p))
    if not problems:
        print("%s: valid SARIF 2.1.0 (%d results; schema%s)" %
              (args[1], n, " + jsonschema" if jsonschema else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
