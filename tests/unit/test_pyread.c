/* The Python-subset reader: every string form, values, statements, and bad input. */
#include <stdlib.h>
#include <string.h>

#include "python/pyread.h"
#include "tap.h"

static struct dg_arena arena;

static int rd(const char *src, struct dg_py_module *m)
{
	return dg_py_read(&arena, "m.py", src, strlen(src), m);
}

static const struct dg_py_value *get(const struct dg_py_module *m, const char *name)
{
	const struct dg_py_assign *a = dg_py_module_get(m, name);
	return a ? a->value : NULL;
}

static void str_is(const char *src, const char *want, const char *what)
{
	struct dg_py_module m;
	int r = rd(src, &m);
	const struct dg_py_value *v = r == 0 ? get(&m, "x") : NULL;
	if (!ok(v && v->kind == DG_PY_STR, "%s: a string (%s)", what, r ? dg_last_error() : "")) {
		return;
	}
	is_str(v->s, want, what);
}

static void err_is(const char *src, size_t len, const char *want, const char *what)
{
	struct dg_py_module m;
	int r = dg_py_read(&arena, "m.py", src, len, &m);
	ok(r < 0, "%s: rejected", what);
	if (r < 0)
		is_str(dg_last_error(), want, what);
	dg_error_clear();
}

static void strings(void)
{
	str_is("x = 'a'\n", "a", "single quotes");
	str_is("x = \"a\"\n", "a", "double quotes");
	str_is("x = '''a\nb'''\n", "a\nb", "triple single");
	str_is("x = \"\"\"a\"b\"\"\"\n", "a\"b", "triple double with a quote");
	str_is("x = 'a' \"b\" '''c'''\n", "abc", "implicit concatenation");
	str_is("x = ('a'\n     'b')  # c\n", "ab", "concatenation across lines");
	str_is("x = r'\\d\\''\n", "\\d\\'", "raw keeps backslashes");
	str_is("x = u'caf\\xe9'\n", "caf\xc3\xa9", "unicode \\x escape");
	str_is("x = '\\u00e9\\U0001F600'\n", "\xc3\xa9\xf0\x9f\x98\x80", "\\u and \\U");
	str_is("x = 'a\\tb\\n\\\\\\101'\n", "a\tb\n\\A", "escapes and octal");
	str_is("x = 'a\\\nb'\n", "ab", "backslash-newline in a string");
	str_is("x = ur'x\\y'\n", "x\\y", "python 2 ur prefix");
	str_is("x = f'{{a}}'\n", "{a}", "f-string without fields");
	str_is("x = '\\N{DASH}'\n", "\\N{DASH}", "named escapes kept as written");
	str_is("\xef\xbb\xbfx = 'bom'\n", "bom", "a byte order mark");
	str_is("x = 'crlf'\r\ny = 1\r\n", "crlf", "CRLF line ends");

	struct dg_py_module m;
	ok(rd("x = f'{rev}'\n", &m) == 0 && get(&m, "x")->fstring,
	   "f-string with a field is marked");
	ok(rd("x = b'a' Rb'b'\n", &m) == 0 && get(&m, "x")->kind == DG_PY_BYTES, "bytes");
}

static void values(void)
{
	struct dg_py_module m;
	const char *src = "# -*- coding: utf-8 -*-\n"
			  "\"\"\"doc\"\"\"\n"
			  "from typing import Sequence, Union\n"
			  "import sqlalchemy as sa, os.path\n"
			  "from .x import (a as b,\n    c)\n"
			  "revision: str = 'r1'\n"
			  "down_revision: Union[str, Sequence[str], None] = ('p1',\n"
			  "    'p2',)\n"
			  "branch_labels = None\n"
			  "depends_on = ['d1']\n"
			  "n = -12\n"
			  "h = 0x1F\n"
			  "big = 10L\n"
			  "f = 1.5e-3\n"
			  "t = True\n"
			  "a = b = 'same'\n"
			  "e = ()\n"
			  "one = ('x')\n"
			  "single = ('x',)\n"
			  "d = {'k': [1, 2], **other}\n"
			  "s = {1, 2}\n"
			  "call = mod.func(1, 'a', key=value, *args, **kw)\n"
			  "expr = 1 + 2\n"
			  "cond = 'a' if x else 'b'\n"
			  "comp = [x for x in y]\n"
			  "lam = lambda q=1: q\n"
			  "sub = x[1:2]\n"
			  "name = settings.AUTH_USER_MODEL\n"
			  "x = 1; y = 2\n"
			  "cont = 1 + \\\n    2\n"
			  "print 'python 2'\n"
			  "exec 'code'\n"
			  "def upgrade():\n"
			  "    revision = 'inside a function'\n"
			  "    op.execute(\"\"\"\n    SELECT 1\n\"\"\")\n"
			  "if sys.version_info > (3,):\n"
			  "    import json\n"
			  "    late = 'conditional'\n"
			  "else:\n"
			  "    pass\n"
			  "@decorator(1)\n"
			  "class Helper(object): pass\n"
			  "class Migration(migrations.Migration):\n"
			  "    \"\"\"doc\"\"\"\n"
			  "    initial = True\n"
			  "    dependencies = [\n"
			  "        ('app', '0001_initial'),  # a comment\n"
			  "        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n"
			  "    ]\n"
			  "    class Meta:\n"
			  "        dependencies = 'nested: not the class body'\n"
			  "    def method(self):\n"
			  "        return 1\n"
			  "    operations = []\n";
	int r = rd(src, &m);
	ok(r == 0, "a full module reads (%s)", r ? dg_last_error() : "ok");
	if (r)
		return;
	is_str(get(&m, "revision")->s, "r1", "annotated assignment");
	const struct dg_py_value *v = get(&m, "down_revision");
	ok(v->kind == DG_PY_TUPLE && v->n_items == 2, "a tuple across lines");
	is_str(v->items[1]->s, "p2", "its second item");
	is_int(dg_py_module_get(&m, "down_revision")->line, 8, "line of the name");
	is_int(get(&m, "branch_labels")->kind, DG_PY_NONE, "None");
	is_int(get(&m, "depends_on")->kind, DG_PY_LIST, "a list");
	is_int(get(&m, "n")->i, -12, "negative int");
	is_int(get(&m, "h")->i, 31, "hex int");
	is_int(get(&m, "big")->i, 10, "python 2 long");
	is_int(get(&m, "f")->kind, DG_PY_FLOAT, "float");
	ok(get(&m, "t")->kind == DG_PY_BOOL && get(&m, "t")->i == 1, "True");
	is_str(get(&m, "a")->s, "same", "chained assignment (first)");
	is_str(get(&m, "b")->s, "same", "chained assignment (second)");
	ok(get(&m, "e")->kind == DG_PY_TUPLE && get(&m, "e")->n_items == 0, "empty tuple");
	is_int(get(&m, "one")->kind, DG_PY_STR, "parentheses without a comma: not a tuple");
	is_int(get(&m, "single")->kind, DG_PY_TUPLE, "one-item tuple");
	ok(get(&m, "d")->kind == DG_PY_DICT && get(&m, "d")->n_items == 4, "dict with unpacking");
	is_int(get(&m, "s")->kind, DG_PY_SET, "set");
	v = get(&m, "call");
	ok(v->kind == DG_PY_CALL && v->n_items == 4 && v->n_kw == 1, "call args (%zu, %zu)",
	   v->n_items, v->n_kw);
	is_str(v->func->s, "mod.func", "dotted callee");
	is_str(v->kw_names[0], "key", "keyword name");
	is_int(get(&m, "expr")->kind, DG_PY_UNKNOWN, "operators are not evaluated");
	is_int(get(&m, "cond")->kind, DG_PY_UNKNOWN, "conditional expression");
	is_int(get(&m, "comp")->kind, DG_PY_LIST, "comprehension: a list of unknown");
	is_int(get(&m, "lam")->kind, DG_PY_UNKNOWN, "lambda");
	is_int(get(&m, "sub")->kind, DG_PY_UNKNOWN, "slice");
	is_str(get(&m, "name")->s, "settings.AUTH_USER_MODEL", "dotted name");
	ok(get(&m, "x") && get(&m, "y"), "statements after ';'");
	is_int(get(&m, "cont")->kind, DG_PY_UNKNOWN, "backslash continuation");
	ok(!get(&m, "late"), "assignments inside if blocks are not certain: not recorded");
	ok(dg_py_is_imported(&m, "json"), "imports inside if blocks count");
	ok(dg_py_is_imported(&m, "sa") && dg_py_is_imported(&m, "os.path"), "import as / dotted");
	ok(dg_py_is_imported(&m, "b") && dg_py_is_imported(&m, "c"), "from import (as)");
	ok(!dg_py_is_imported(&m, "a"), "the original name of an `as` import is not bound");
	is_str(get(&m, "revision")->s, "r1", "a function body does not leak into the module");
	is_int(m.n_classes, 2, "two top-level classes");
	const struct dg_py_class *c = &m.classes[1];
	is_str(c->name, "Migration", "class name");
	ok(c->n_bases == 1 && !strcmp(c->bases[0]->s, "migrations.Migration"), "class base");
	const struct dg_py_assign *dep = dg_py_class_get(c, "dependencies");
	ok(dep && dep->value->kind == DG_PY_LIST && dep->value->n_items == 2,
	   "class body: dependencies (nested class ignored)");
	if (dep)
		is_int(dep->value->items[1]->kind, DG_PY_CALL, "swappable_dependency is a call");
	ok(dg_py_class_get(c, "operations") != NULL, "class body continues after a method");
}

static void errors(void)
{
	err_is("x = 'abc\ny = 1\n", 14, "m.py:1:5: unterminated string literal", "unterminated");
	err_is("x = '''abc\n", 11, "m.py:1:5: unterminated triple-quoted string literal",
	       "unterminated triple");
	err_is("x = (1,\ny = 2\n", 14, "m.py:1:5: '(' was never closed", "unclosed bracket");
	err_is("x = [1)\n", 8, "m.py:1:7: closing ')' does not match '[' opened at line 1",
	       "mismatched bracket");
	err_is("x = 1)\n", 7, "m.py:1:6: unmatched ')'", "unmatched close");
	err_is("if x:\n        a = 1\n    b = 2\n", 30,
	       "m.py:3:5: unindent does not match any outer indentation level", "bad dedent");
	err_is("x = 1\n    y = 2\n", 16, "m.py:2:5: unexpected indent", "unexpected indent");
	err_is("x = 'a'\0\n", 9, "m.py:1:8: binary data (NUL byte) in a Python file", "NUL byte");
	err_is("x = '\xff'\n", 8, "m.py:1:6: invalid UTF-8 (only UTF-8 source files are read)",
	       "invalid UTF-8");
	err_is("x = $\n", 6, "m.py:1:5: unexpected character '$'", "bad character");
	err_is("x = \\ 1\n", 8, "m.py:1:5: unexpected character after line continuation character",
	       "bad continuation");
	err_is("class Migration(Base)\n    x = 1\n", 31,
	       "m.py:1:22: unexpected end of line in a class statement (a ':' was expected)",
	       "class without colon");
	err_is("def f():\nx = 1\n", 15, "m.py:2:1: expected an indented block", "missing block");
	err_is("x = = 1\n", 8, "m.py:1:5: unexpected '=' where a value was expected", "double =");

	/* nesting deeper than the reader allows is an error, not a stack overflow */
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, "x = ");
	for (int i = 0; i < 5000; i++)
		dg_buf_addch(&b, '[');
	struct dg_py_module m;
	ok(dg_py_read(&arena, "m.py", b.ptr, b.len, &m) < 0, "deep nesting is refused");
	dg_error_clear();
	dg_buf_reset(&b);
	for (int i = 0; i < 300; i++)
		dg_buf_adds(&b, "-");
	dg_buf_adds(&b, "1\n");
	ok(dg_py_read(&arena, "m.py", b.ptr, b.len, &m) < 0 || 1, "long unary chains end");
	dg_error_clear();
	dg_buf_reset(&b);
	for (int i = 0; i < 200; i++) {
		for (int k = 0; k < i; k++)
			dg_buf_addch(&b, ' ');
		dg_buf_adds(&b, "if x:\n");
	}
	int r = dg_py_read(&arena, "m.py", b.ptr, b.len, &m);
	ok(r < 0, "deep indentation is refused");
	dg_error_clear();
	/* a data literal of thousands of items is skipped, not kept */
	dg_buf_reset(&b);
	dg_buf_adds(&b, "data = [");
	for (int i = 0; i < 5000; i++)
		dg_buf_adds(&b, "(1, 'a'), ");
	dg_buf_adds(&b, "]\nrevision = 'after'\n");
	r = dg_py_read(&arena, "m.py", b.ptr, b.len, &m);
	ok(r == 0 && get(&m, "data")->kind == DG_PY_UNKNOWN, "a huge list reads as unknown");
	ok(r == 0 && !strcmp(get(&m, "revision")->s, "after"), "and reading goes on after it");
	dg_buf_release(&b);
	/* what Python accepts is read: 2.5 MB of padding, 180 nested brackets (issue 14) */
	dg_buf_reset(&b);
	for (int i = 0; i < 25000; i++)
		dg_buf_adds(&b, "# padding padding padding padding padding padding padding padding padding pad\n");
	dg_buf_adds(&b, "X = ");
	for (int i = 0; i < 180; i++)
		dg_buf_adds(&b, i % 2 ? "[" : "f(");
	dg_buf_adds(&b, "1");
	for (int i = 179; i >= 0; i--)
		dg_buf_adds(&b, i % 2 ? "]" : ")");
	dg_buf_adds(&b, "\nrevision = 'big'\n");
	r = dg_py_read(&arena, "m.py", b.ptr, b.len, &m);
	ok(r == 0 && get(&m, "revision") && !strcmp(get(&m, "revision")->s, "big"),
	   "2.5 MB and 180 nested brackets are read (%s)", r ? dg_last_error() : "ok");
	dg_error_clear();
	/* past the limits: an error naming the place, never a crash */
	dg_buf_reset(&b);
	dg_buf_adds(&b, "X = ");
	for (int i = 0; i < 600; i++)
		dg_buf_addch(&b, '[');
	r = dg_py_read(&arena, "m.py", b.ptr, b.len, &m);
	ok(r < 0 && strstr(dg_last_error(), "m.py:1:505: brackets nested too deeply"),
	   "501 nested brackets are refused at the 501st (%s)", dg_last_error());
	dg_error_clear();
	dg_buf_reset(&b);
	dg_buf_adds(&b, "X = [");
	for (int i = 0; i < 2200000; i++)
		dg_buf_adds(&b, "1,");
	dg_buf_adds(&b, "]\n");
	r = dg_py_read(&arena, "m.py", b.ptr, b.len, &m);
	ok(r < 0 && strstr(dg_last_error(), "too many tokens"),
	   "more than DG_PY_MAX_TOKENS tokens are refused (%s)", dg_last_error());
	dg_error_clear();
	dg_buf_release(&b);
	char *huge = calloc(1, (size_t)DG_PY_MAX_BYTES + 2);
	memset(huge, ' ', (size_t)DG_PY_MAX_BYTES + 1);
	ok(dg_py_read(&arena, "m.py", huge, (size_t)DG_PY_MAX_BYTES + 1, &m) < 0,
	   "a file over the limit is refused");
	free(huge);
	dg_error_clear();
}

/* Where each decoded byte of a string came from: the byte offset in the file. */
static size_t src_at(const struct dg_py_value *v, size_t i)
{
	for (size_t k = 0; k < v->n_pieces; k++) {
		const struct dg_py_piece *p = &v->pieces[k];
		if (i >= p->at && i < p->at + p->len)
			return p->exact ? p->src + (i - p->at) : p->src;
	}
	return (size_t)-1;
}

static void pieces(void)
{
	struct dg_py_module m;
	const char *src = "x = 'ab' \"cd\"\n";
	/* implicit concatenation: 'c' comes from offset 10 */
	ok(rd("x = 'ab' \"cd\"\n", &m) == 0, "concatenation reads");
	const struct dg_py_value *v = get(&m, "x");
	is_int(src_at(v, 0), 5, "first byte of the first literal");
	is_int(src_at(v, 2), 10, "first byte of the second literal");
	(void)src;
	ok(rd("x = 'a\\tb'\n", &m) == 0, "escape reads");
	v = get(&m, "x");
	is_int(src_at(v, 1), 6, "an escape maps to its backslash");
	is_int(src_at(v, 2), 8, "the byte after the escape maps past it");
	ok(rd("x = '''a\r\nb'''\r\n", &m) == 0, "CRLF in a triple-quoted string");
	v = get(&m, "x");
	is_str(v->s, "a\nb", "CRLF reads as a newline, as Python reads source");
	is_int(src_at(v, 2), 10, "the byte after the newline");
	ok(rd("x = r'\\d\r\ny'\n", &m) < 0, "a raw single-quoted string cannot hold a newline");
	dg_error_clear();
	ok(rd("x = r'''\\d\ry'''\n", &m) == 0 && !strcmp(get(&m, "x")->s, "\\d\ny"),
	   "a lone CR in a raw string is a newline too");
	ok(rd("x = u'caf\xc3\xa9 ' 'z'\n", &m) == 0, "non-ASCII");
	v = get(&m, "x");
	is_int(src_at(v, 6), 15, "bytes after a multi-byte character keep their offsets");
}

static void functions(void)
{
	struct dg_py_module m;
	const char *src = "from alembic import op\n"
			  "import sqlalchemy as sa\n"
			  "@decorated\n"
			  "def upgrade():\n"
			  "    '''doc'''\n"
			  "    op.add_column('t', sa.Column('c', sa.Integer()))  # a comment\n"
			  "    conn = op.get_bind()\n"
			  "    conn.execute('SELECT 1')\n"
			  "    op.get_bind().execute('SELECT 2')\n"
			  "    with op.get_context().autocommit_block(), op.batch_alter_table('t') as b:\n"
			  "        b.drop_column('c')\n"
			  "    for t in ('a', 'b'):\n"
			  "        op.drop_table(t)\n"
			  "    print 'python 2'\n"
			  "    x.y = 1\n"
			  "    sql = 'a %s' % name\n"
			  "    q = Q(a=1) & ~Q(b=2)\n"
			  "    return\n"
			  "def downgrade(): pass\n";
	int r = rd(src, &m);
	ok(r == 0, "a module with functions reads (%s)", r ? dg_last_error() : "ok");
	if (r)
		return;
	const struct dg_py_func *f = dg_py_module_func(&m, "upgrade");
	ok(f && f->n_body == 12, "upgrade() has its statements (%zu)", f ? f->n_body : 0);
	if (!f || f->n_body != 12)
		return;
	is_int(f->body[0].kind, DG_PY_STMT_EXPR, "a docstring is an expression statement");
	const struct dg_py_value *call = f->body[1].value;
	is_str(dg_py_call_name(call), "add_column", "the call's name");
	is_int(call->line, 6, "its line");
	is_int(call->offset, (long)(strstr(src, "op.add_column") - src), "its byte offset");
	is_int(f->body[2].kind, DG_PY_STMT_ASSIGN, "an assignment");
	is_str(f->body[2].name, "conn", "its target");
	is_str(dg_py_call_name(f->body[4].value), "execute", "a method of a call's result");
	ok(f->body[4].value->func->kind == DG_PY_ATTR, "is an attribute of a call");
	const struct dg_py_stmt *w = &f->body[5];
	ok(w->kind == DG_PY_STMT_WITH && w->n_body == 1 && w->body[0].kind == DG_PY_STMT_WITH,
	   "two context managers nest");
	if (w->n_body == 1) {
		is_str(w->body[0].name, "b", "`as` target of the second");
		is_int(w->body[0].n_body, 1, "the body is inside the inner one");
	}
	ok(f->body[6].kind == DG_PY_STMT_BLOCK && !strcmp(f->body[6].keyword, "for") &&
	       f->body[6].n_body == 1,
	   "a for loop is a block, its body read");
	is_int(f->body[7].kind, DG_PY_STMT_OTHER, "a Python 2 print statement");
	ok(f->body[8].kind == DG_PY_STMT_OTHER && !strcmp(f->body[8].keyword, "assignment"),
	   "an attribute assignment is not read");
	const struct dg_py_value *fmt = f->body[9].value;
	ok(fmt->kind == DG_PY_UNKNOWN && fmt->op && !strcmp(fmt->op, "%") && fmt->lhs->kind == DG_PY_STR,
	   "%%-formatting keeps its operator and operands");
	const struct dg_py_value *qv = f->body[10].value;
	ok(qv->op && !strcmp(qv->op, "&") && qv->rhs->op && !strcmp(qv->rhs->op, "~"),
	   "Q & ~Q keeps its operators");
	ok(m.n_comments == 1 && !m.comments[0].own_line && m.comments[0].line == 6 &&
	       !strcmp(m.comments[0].text, " a comment"),
	   "a trailing comment is recorded");
	ok(dg_py_module_func(&m, "downgrade") != NULL, "a one-line function");
	/* a body the reader cannot follow costs the statement, not the module */
	ok(rd("def upgrade():\n    x = (yield)\n    op.drop_table('t')\nrevision = 'r'\n", &m) == 0 &&
	       dg_py_module_func(&m, "upgrade")->n_body == 2 && get(&m, "revision"),
	   "odd statements inside a function do not hide the module");
}

int main(void)
{
	dg_arena_init(&arena);
	strings();
	values();
	errors();
	pieces();
	functions();
	dg_arena_release(&arena);
	return done();
}
