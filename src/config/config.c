/*
 * .ddlgate.yml reader on libyaml's document API. Strict: every key is
 * known, every value has the right type, every rule id exists.
 */
#include "config/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/core.h"

struct cfg_parse {
	yaml_document_t doc;
	const char *file;
	dg_rule_known_fn known;
	struct dg_config *cfg;
};

static const char *const naming_schemes[] = {
	"auto", "flyway", "golang-migrate", "dbmate", "diesel", "sqitch-like", "sequential",
};

static int fault(struct cfg_parse *p, yaml_node_t *n, const char *fmt, ...) DG_PRINTF(3, 4);

static dg_rule_suggest_fn rule_suggest;

void dg_config_set_rule_suggest(dg_rule_suggest_fn fn)
{
	rule_suggest = fn;
}

static int fault(struct cfg_parse *p, yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dg_error("%s:%lu:%lu: %s", p->file, (unsigned long)n->start_mark.line + 1,
			(unsigned long)n->start_mark.column + 1, msg);
}

static yaml_node_t *node(struct cfg_parse *p, int id)
{
	return yaml_document_get_node(&p->doc, id);
}

static const char *scalar(yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain (unquoted) null scalar: "", "~", "null". */
static int is_null(yaml_node_t *n)
{
	const char *s = scalar(n);
	return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "~") || !strcmp(s, "null"));
}

static int want_string(struct cfg_parse *p, yaml_node_t *n, const char *key, const char **out)
{
	const char *s = scalar(n);
	if (!s || is_null(n) || !*s)
		return fault(p, n, "'%s' must be a non-empty string", key);
	*out = s;
	return 0;
}

static int want_int(struct cfg_parse *p, yaml_node_t *n, const char *key, long lo, long hi, long *out)
{
	const char *s = scalar(n);
	char *end;
	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return fault(p, n, "'%s' must be an integer", key);
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return fault(p, n, "'%s' must be an integer, not '%s'", key, s);
	if (v < lo || v > hi)
		return fault(p, n, "'%s' must be between %ld and %ld, not %ld", key, lo, hi, v);
	*out = v;
	return 0;
}

/* A list of strings; a single string is accepted as a list of one. */
static int want_string_list(struct cfg_parse *p, yaml_node_t *n, const char *key,
			    char ***out, size_t *out_n)
{
	size_t cap = 0;
	for (size_t i = 0; i < *out_n; i++)
		free((*out)[i]);
	free(*out);
	*out = NULL;
	*out_n = 0;
	if (n->type == YAML_SCALAR_NODE) {
		const char *s = NULL;
		if (want_string(p, n, key, &s) < 0)
			return -1;
		DG_PUSH(*out, *out_n, cap, dg_xstrdup(s));
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fault(p, n, "'%s' must be a list of strings", key);
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = node(p, *it);
		const char *s = NULL;
		if (want_string(p, item, key, &s) < 0)
			return -1;
		DG_PUSH(*out, *out_n, cap, dg_xstrdup(s));
	}
	return 0;
}

/* A key given twice in one mapping: the first value would be silently lost. */
static int dup_key(struct cfg_parse *p, yaml_node_t *map, yaml_node_pair_t *pr)
{
	yaml_node_t *k = node(p, pr->key);
	const char *key = scalar(k);
	for (yaml_node_pair_t *q = map->data.mapping.pairs.start; key && q < pr; q++) {
		yaml_node_t *qk = node(p, q->key);
		const char *s = scalar(qk);
		if (s && !strcmp(s, key))
			return fault(p, k, "duplicate key '%s' (first at line %lu)", key,
				     (unsigned long)qk->start_mark.line + 1);
	}
	return 0;
}

static int parse_levels(struct cfg_parse *p, yaml_node_t *n, const char *key)
{
	if (n->type != YAML_MAPPING_NODE) {
		if (is_null(n))
			return 0;
		return fault(p, n, "'%s' must be a mapping of rule id to error, warning or off", key);
	}
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	     pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = node(p, pr->key), *v = node(p, pr->value);
		const char *id = scalar(k), *lv = scalar(v);
		if (!id)
			return fault(p, k, "rule ids under '%s' must be strings", key);
		if (dup_key(p, n, pr) < 0)
			return -1;
		if (p->known && !p->known(id)) {
			const char *near = rule_suggest ? rule_suggest(id) : NULL;
			if (near)
				return fault(p, k, "unknown rule id '%s' (did you mean '%s'? see `ddlgate rules`)",
					     id, near);
			return fault(p, k, "unknown rule id '%s' (see `ddlgate rules`)", id);
		}
		int sev = lv ? dg_severity_parse(lv) : -1;
		if (sev < 0)
			return fault(p, v, "level of '%s' must be error, warning or off", id);
		dg_config_set_level(p->cfg, id, (enum dg_severity)sev);
	}
	return 0;
}

static int parse_set(struct cfg_parse *p, yaml_node_t *n, struct dg_set_config *set)
{
	memset(set, 0, sizeof(*set));
	set->line = (int)n->start_mark.line + 1;
	if (n->type != YAML_MAPPING_NODE)
		return fault(p, n, "each entry of 'migrations' must be a mapping with at least 'path'");
	int have_format = 0;
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	     pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = node(p, pr->key), *v = node(p, pr->value);
		const char *key = scalar(k), *s = NULL;
		if (!key)
			return fault(p, k, "keys must be strings");
		if (dup_key(p, n, pr) < 0)
			return -1;
		if (!strcmp(key, "path")) {
			if (want_string(p, v, key, &s) < 0)
				return -1;
			free(set->path);
			/* "db/migrations/" and "./db/migrations" mean db/migrations;
			 * "./" is the root, spelt "." (never an empty path) */
			while (s[0] == '.' && s[1] == '/')
				s += 2;
			set->path = dg_xstrdup(*s ? s : ".");
			size_t l = strlen(set->path);
			while (l > 1 && set->path[l - 1] == '/')
				set->path[--l] = '\0';
		} else if (!strcmp(key, "format")) {
			if (want_string(p, v, key, &s) < 0)
				return -1;
			if (!strcmp(s, "sql"))
				set->format = DG_FORMAT_SQL;
			else if (!strcmp(s, "alembic"))
				set->format = DG_FORMAT_ALEMBIC;
			else if (!strcmp(s, "django"))
				set->format = DG_FORMAT_DJANGO;
			else
				return fault(p, v, "format must be sql, alembic or django, not '%s'", s);
			have_format = 1;
		} else if (!strcmp(key, "naming")) {
			if (want_string(p, v, key, &s) < 0)
				return -1;
			size_t i;
			for (i = 0; i < DG_ARRAY_SIZE(naming_schemes); i++)
				if (!strcmp(s, naming_schemes[i]))
					break;
			if (i == DG_ARRAY_SIZE(naming_schemes))
				return fault(p, v, "naming must be one of auto, flyway, golang-migrate, dbmate, diesel, sqitch-like, sequential; not '%s'", s);
			free(set->naming);
			set->naming = dg_xstrdup(s);
		} else if (!strcmp(key, "transaction")) {
			s = scalar(v);
			/* YAML 1.1 booleans are what people write here */
			if (s && (!strcmp(s, "auto")))
				set->transaction = DG_TX_AUTO;
			else if (s && (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on")))
				set->transaction = DG_TX_YES;
			else if (s && (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off")))
				set->transaction = DG_TX_NO;
			else
				return fault(p, v, "transaction must be auto, yes or no");
		} else if (!strcmp(key, "app_label")) {
			if (want_string(p, v, key, &s) < 0)
				return -1;
			free(set->app_label);
			set->app_label = dg_xstrdup(s);
		} else {
			return fault(p, k, "unknown key '%s' in a migration set (path, format, naming, transaction, app_label)", key);
		}
	}
	if (!set->path)
		return fault(p, n, "a migration set needs 'path'");
	if (!have_format)
		return fault(p, n, "migration set '%s' needs 'format' (sql, alembic or django)", set->path);
	if (set->naming && set->format != DG_FORMAT_SQL)
		return fault(p, n, "'naming' applies only to format: sql");
	if (!set->naming)
		set->naming = dg_xstrdup("auto");
	return 0;
}

static void free_set(struct dg_set_config *s)
{
	free(s->path);
	free(s->naming);
	free(s->app_label);
}

static int parse_sets(struct cfg_parse *p, yaml_node_t *n)
{
	struct dg_config *cfg = p->cfg;
	size_t cap = 0;
	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return fault(p, n, "'migrations' must be a list of sets");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		struct dg_set_config set;
		if (parse_set(p, node(p, *it), &set) < 0) {
			free_set(&set);
			return -1;
		}
		DG_PUSH(cfg->sets, cfg->n_sets, cap, set);
	}
	return 0;
}

static const char *const suppression_names[] = { "allow", "require-reason", "deny" };

const char *dg_suppressions_name(enum dg_suppressions s)
{
	return suppression_names[s];
}

static int parse_suppressions(struct cfg_parse *p, yaml_node_t *n)
{
	const char *s = scalar(n);
	for (size_t i = 0; s && i < DG_ARRAY_SIZE(suppression_names); i++)
		if (!strcmp(s, suppression_names[i])) {
			p->cfg->suppressions = (enum dg_suppressions)i;
			return 0;
		}
	return fault(p, n, "'suppressions' must be allow, require-reason or deny");
}

/*
 * Only plain YAML: an explicit tag (!!python/object, !custom) would ask a
 * loader for behaviour this reader does not have, so it is refused rather
 * than read as its text.
 */
static int check_tags(struct cfg_parse *p)
{
	for (yaml_node_t *n = p->doc.nodes.start; n < p->doc.nodes.top; n++) {
		const char *want = n->type == YAML_SCALAR_NODE   ? YAML_DEFAULT_SCALAR_TAG
				   : n->type == YAML_SEQUENCE_NODE ? YAML_DEFAULT_SEQUENCE_TAG
								   : YAML_DEFAULT_MAPPING_TAG;
		const char *tag = (const char *)n->tag;
		if (!tag || !strcmp(tag, want))
			continue;
		if (dg_str_startswith(tag, "tag:yaml.org,2002:"))
			return fault(p, n, "YAML tag '!!%s' is not allowed in %s", tag + 18,
				     DG_CONFIG_FILE);
		return fault(p, n, "YAML tag '%s' is not allowed in %s", tag, DG_CONFIG_FILE);
	}
	return 0;
}

static int parse_root(struct cfg_parse *p, yaml_node_t *root)
{
	if (!root || is_null(root))
		return 0; /* empty file: defaults */
	if (root->type != YAML_MAPPING_NODE)
		return fault(p, root, "the top level must be a mapping of settings");
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = node(p, pr->key), *v = node(p, pr->value);
		const char *key = scalar(k);
		int r = 0;
		long lv = 0;
		if (!key)
			return fault(p, k, "keys must be strings");
		if (dup_key(p, root, pr) < 0)
			return -1;
		if (!strcmp(key, "postgres_version")) {
			r = want_int(p, v, key, DG_PG_VERSION_MIN, DG_PG_VERSION_MAX, &lv);
			if (!r)
				p->cfg->pg_version = (int)lv;
		} else if (!strcmp(key, "protected_branches")) {
			r = want_string_list(p, v, key, &p->cfg->protected_branches,
					     &p->cfg->n_protected);
		} else if (!strcmp(key, "branch_rules") || !strcmp(key, "rules")) {
			r = parse_levels(p, v, key);
		} else if (!strcmp(key, "migrations")) {
			r = parse_sets(p, v);
		} else if (!strcmp(key, "exclude")) {
			r = want_string_list(p, v, key, &p->cfg->exclude, &p->cfg->n_exclude);
		} else if (!strcmp(key, "suppressions")) {
			r = parse_suppressions(p, v);
		} else if (!strcmp(key, "timeout_seconds")) {
			r = want_int(p, v, key, 1, DG_TIMEOUT_MAX, &lv);
			if (!r)
				p->cfg->timeout_seconds = (int)lv;
		} else {
			r = fault(p, k, "unknown key '%s' (known: postgres_version, protected_branches, branch_rules, migrations, rules, exclude, suppressions, timeout_seconds)", key);
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

void dg_config_init(struct dg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pg_version = DG_PG_VERSION_DEFAULT;
	cfg->protected_branches = dg_xcalloc(2, sizeof(char *));
	cfg->protected_branches[0] = dg_xstrdup("main");
	cfg->protected_branches[1] = dg_xstrdup("master");
	cfg->n_protected = 2;
	cfg->timeout_seconds = DG_TIMEOUT_DEFAULT;
}

void dg_config_release(struct dg_config *cfg)
{
	free(cfg->file);
	for (size_t i = 0; i < cfg->n_protected; i++)
		free(cfg->protected_branches[i]);
	free(cfg->protected_branches);
	for (size_t i = 0; i < cfg->n_levels; i++)
		free(cfg->levels[i].id);
	free(cfg->levels);
	for (size_t i = 0; i < cfg->n_sets; i++)
		free_set(&cfg->sets[i]);
	free(cfg->sets);
	for (size_t i = 0; i < cfg->n_exclude; i++)
		free(cfg->exclude[i]);
	free(cfg->exclude);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * One document only: settings after a `---` would be silently ignored by
 * a reader that takes the first, so a second document is an error.
 */
static int refuse_second_document(yaml_parser_t *parser, const char *file)
{
	yaml_document_t doc;
	if (!yaml_parser_load(parser, &doc)) {
		yaml_mark_t m = parser->problem_mark;
		return dg_error("%s:%lu:%lu: invalid YAML: %s", file, (unsigned long)m.line + 1,
				(unsigned long)m.column + 1,
				parser->problem ? parser->problem : "syntax error");
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	int r = 0;
	if (root) {
		yaml_mark_t m = doc.start_mark;
		r = dg_error("%s:%lu:%lu: a second YAML document; %s must be a single document "
			     "(remove the '---' and merge the settings)",
			     file, (unsigned long)m.line + 1, (unsigned long)m.column + 1,
			     DG_CONFIG_FILE);
	}
	yaml_document_delete(&doc);
	return r;
}

int dg_config_parse(struct dg_config *cfg, const char *file, const char *data,
		    size_t len, dg_rule_known_fn known)
{
	yaml_parser_t parser;
	struct cfg_parse p = { .file = file, .known = known, .cfg = cfg };
	int r = 0;

	dg_config_release(cfg);
	dg_config_init(cfg);
	if (memchr(data, '\0', len))
		return dg_error("%s: binary data, not YAML", file);
	long bad = dg_utf8_invalid_at(data, len);
	if (bad >= 0) {
		int line = 1, col = 1;
		for (long i = 0; i < bad; i++) {
			if (data[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		return dg_error("%s:%d:%d: invalid UTF-8", file, line, col);
	}
	if (!yaml_parser_initialize(&parser))
		return dg_error("%s: cannot initialise the YAML parser", file);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &p.doc)) {
		yaml_mark_t m = parser.problem_mark;
		r = dg_error("%s:%lu:%lu: invalid YAML: %s", file, (unsigned long)m.line + 1,
			     (unsigned long)m.column + 1,
			     parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		dg_config_release(cfg);
		dg_config_init(cfg);
		return r;
	}
	r = check_tags(&p);
	if (!r)
		r = parse_root(&p, yaml_document_get_root_node(&p.doc));
	yaml_document_delete(&p.doc);
	if (!r)
		r = refuse_second_document(&parser, file);
	yaml_parser_delete(&parser);
	if (r < 0) {
		dg_config_release(cfg);
		dg_config_init(cfg);
		return -1;
	}
	cfg->file = dg_xstrdup(file);
	return 0;
}

int dg_config_load(struct dg_config *cfg, const char *path, dg_rule_known_fn known)
{
	char *data;
	size_t len;
	if (dg_read_file(path, &data, &len) < 0)
		return -1;
	int r = dg_config_parse(cfg, path, data, len, known);
	free(data);
	return r;
}

static void prefix_path(char **path, const char *dir)
{
	size_t dl = strlen(dir), pl = strlen(*path);
	int self = pl == 0 || !strcmp(*path, ".");
	char *p = dg_xmalloc(dl + 1 + pl + 1);
	memcpy(p, dir, dl);
	if (self) {
		p[dl] = '\0';
	} else {
		p[dl] = '/';
		memcpy(p + dl + 1, *path, pl + 1);
	}
	free(*path);
	*path = p;
}

void dg_config_rebase(struct dg_config *cfg, const char *dir)
{
	if (!dir || !*dir || !strcmp(dir, "."))
		return;
	for (size_t i = 0; i < cfg->n_sets; i++)
		prefix_path(&cfg->sets[i].path, dir);
	for (size_t i = 0; i < cfg->n_exclude; i++)
		prefix_path(&cfg->exclude[i], dir);
}

void dg_config_set_level(struct dg_config *cfg, const char *id, enum dg_severity sev)
{
	for (size_t i = 0; i < cfg->n_levels; i++) {
		if (!strcmp(cfg->levels[i].id, id)) {
			cfg->levels[i].severity = sev;
			return;
		}
	}
	cfg->levels = dg_xrealloc(cfg->levels, (cfg->n_levels + 1) * sizeof(*cfg->levels));
	cfg->levels[cfg->n_levels].id = dg_xstrdup(id);
	cfg->levels[cfg->n_levels].severity = sev;
	cfg->n_levels++;
}

enum dg_severity dg_config_level(const struct dg_config *cfg, const char *id,
				 enum dg_severity dflt)
{
	for (size_t i = 0; cfg && i < cfg->n_levels; i++)
		if (!strcmp(cfg->levels[i].id, id))
			return cfg->levels[i].severity;
	return dflt;
}

int dg_config_is_protected(const struct dg_config *cfg, const char *branch)
{
	for (size_t i = 0; i < cfg->n_protected; i++)
		if (dg_glob_match(cfg->protected_branches[i], branch))
			return 1;
	return 0;
}

int dg_config_is_excluded(const struct dg_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->n_exclude; i++) {
		const char *pat = cfg->exclude[i];
		if (dg_glob_match(pat, path))
			return 1;
		/* a directory pattern excludes everything under it */
		size_t l = strlen(pat);
		if (!strncmp(pat, path, l) && (path[l] == '/' || pat[l - 1] == '/'))
			return 1;
	}
	return 0;
}

const char *dg_set_format_name(enum dg_set_format f)
{
	switch (f) {
	case DG_FORMAT_ALEMBIC:
		return "alembic";
	case DG_FORMAT_DJANGO:
		return "django";
	default:
		return "sql";
	}
}
