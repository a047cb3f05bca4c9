-- The lock oracle's cases: each one is run on a real PostgreSQL by
-- lock_oracle.sh, and ddlgate explain must claim exactly the locks and
-- rewrites the server shows (see lock_oracle.py for what is compared).
--
--   -- case: NAME [notx=REL:MODE]     starts a case
--   -- setup: SQL                      extra setup after the prelude (repeatable)
--   -- ignore: NAME (why)               a name of the statement that is not a relation
--                                      ddlgate can know (a constraint backed by an index)
--   -- ignore-scan: NAME (why)          do not compare whether NAME is scanned (the
--                                      planner decides how a referenced table is read)
--   -- also: NAME                       compare NAME too, though the statement does not
--                                      name it as an identifier (a sequence in a string,
--                                      the tables of a domain)
--   -- history-only (why)               compare only the second pass (prelude and setup
--                                      as the set's V1, the statement as V2 explained
--                                      alone): in one file the prelude's tables are new,
--                                      and empty tables are spared work a full one gets
--   -- in-transaction                   ddlgate sees BEGIN before the statements too, and
--                                      its "held" (what the transaction holds after the
--                                      last one) is compared: several statements, one
--                                      transaction
--   other lines                        the statement
--
-- notx: the statement cannot run in a transaction block; it is run on its
-- own while a second session holds LOCK TABLE REL IN MODE MODE, and its
-- locks are read once it waits.

-- prelude
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE parent (id bigint PRIMARY KEY, name text UNIQUE);
CREATE TABLE t (id bigint PRIMARY KEY, a int, b varchar(10), c numeric(10,2), p bigint,
                d text, e timestamp, f int, g char(5), h varchar, k int NOT NULL DEFAULT 0,
                m mood, j json);
CREATE INDEX t_a_idx ON t (a);
CREATE TABLE other (id bigint PRIMARY KEY, val int);
CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t;
CREATE UNIQUE INDEX mv_id_idx ON mv (id);
CREATE VIEW v AS SELECT id, a FROM t;
CREATE TABLE meas (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE meas_2024 PARTITION OF meas FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE meas_2025 (id bigint, at date NOT NULL);
CREATE TABLE s1.q (id bigint PRIMARY KEY, a int);
CREATE SEQUENCE seq;
CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE FUNCTION my_default() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg_fn();
INSERT INTO parent SELECT g, 'n' || g FROM generate_series(1, 200) g;
INSERT INTO t SELECT g, g, 'x', 1.5, g, 'd', now(), g, 'g', 'h', 0, 'ok', '{}' FROM generate_series(1, 200) g;
INSERT INTO other SELECT g, g FROM generate_series(1, 50) g;
INSERT INTO meas SELECT g, '2024-03-01' FROM generate_series(1, 50) g;
INSERT INTO meas_2025 SELECT g, '2025-03-01' FROM generate_series(1, 50) g;
INSERT INTO s1.q SELECT g, g FROM generate_series(1, 50) g;
REFRESH MATERIALIZED VIEW mv;
-- end prelude

-- ==== ALTER TABLE: columns ====
-- case: add_column_plain
ALTER TABLE t ADD COLUMN z int;
-- case: add_column_const_default
ALTER TABLE t ADD COLUMN z boolean NOT NULL DEFAULT false;
-- case: add_column_text_default
ALTER TABLE t ADD COLUMN z text DEFAULT 'hello';
-- case: add_column_now_default
ALTER TABLE t ADD COLUMN z timestamptz DEFAULT now();
-- case: add_column_current_timestamp_default
ALTER TABLE t ADD COLUMN z timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- case: add_column_clock_timestamp_default
ALTER TABLE t ADD COLUMN z timestamptz DEFAULT clock_timestamp();
-- case: add_column_random_default
ALTER TABLE t ADD COLUMN z float8 DEFAULT random();
-- case: add_column_uuid_default
ALTER TABLE t ADD COLUMN z uuid DEFAULT gen_random_uuid();
-- case: add_column_serial
ALTER TABLE t ADD COLUMN z serial;
-- case: add_column_bigserial
ALTER TABLE t ADD COLUMN z bigserial;
-- case: add_column_identity
ALTER TABLE t ADD COLUMN z bigint GENERATED ALWAYS AS IDENTITY;
-- case: add_column_generated_stored
ALTER TABLE t ADD COLUMN z int GENERATED ALWAYS AS (a * 2) STORED;
-- case: add_column_null_default
ALTER TABLE t ADD COLUMN z int DEFAULT NULL;
-- case: add_column_expr_default
ALTER TABLE t ADD COLUMN z int DEFAULT 1 + 2;
-- case: add_column_nextval_default
-- also: seq
-- history-only (nextval() runs once per existing row: none in a new table)
ALTER TABLE t ADD COLUMN z bigint DEFAULT nextval('seq');
-- case: add_column_unique
ALTER TABLE t ADD COLUMN z int UNIQUE;
-- case: add_column_check
ALTER TABLE t ADD COLUMN z int CHECK (z > 0);
-- case: add_column_fk
-- ignore-scan: parent (the planner chooses how the referenced table is read)
ALTER TABLE t ADD COLUMN z bigint REFERENCES parent (id);
-- case: add_column_if_not_exists
ALTER TABLE t ADD COLUMN IF NOT EXISTS z int;
-- case: add_two_columns
ALTER TABLE t ADD COLUMN z int, ADD COLUMN y text DEFAULT 'a';
-- case: drop_column
ALTER TABLE t DROP COLUMN d;
-- case: drop_column_indexed
-- setup: CREATE INDEX t_f_idx ON t (f);
ALTER TABLE t DROP COLUMN f;
-- case: drop_column_if_exists
ALTER TABLE t DROP COLUMN IF EXISTS nosuch;

-- ==== ALTER TABLE: types ====
-- case: type_varchar_widen
ALTER TABLE t ALTER COLUMN b TYPE varchar(20);
-- case: type_varchar_narrow
ALTER TABLE t ALTER COLUMN b TYPE varchar(5);
-- case: type_varchar_to_text
ALTER TABLE t ALTER COLUMN b TYPE text;
-- case: type_varchar_to_unbounded
ALTER TABLE t ALTER COLUMN b TYPE varchar;
-- case: type_text_to_varchar_n
ALTER TABLE t ALTER COLUMN d TYPE varchar(50);
-- case: type_numeric_widen
ALTER TABLE t ALTER COLUMN c TYPE numeric(12,2);
-- case: type_numeric_scale_change
ALTER TABLE t ALTER COLUMN c TYPE numeric(12,4);
-- case: type_numeric_unbounded
ALTER TABLE t ALTER COLUMN c TYPE numeric;
-- case: type_int_to_bigint
ALTER TABLE t ALTER COLUMN f TYPE bigint;
-- case: type_int_to_bigint_indexed
-- setup: CREATE INDEX t_f_idx ON t (f);
ALTER TABLE t ALTER COLUMN f TYPE bigint;
-- case: type_int_to_text_using
ALTER TABLE t ALTER COLUMN f TYPE text USING f::text;
-- case: type_timestamp_to_timestamptz
ALTER TABLE t ALTER COLUMN e TYPE timestamptz;
-- case: type_char_to_varchar
ALTER TABLE t ALTER COLUMN g TYPE varchar(5);
-- case: type_char_to_text
ALTER TABLE t ALTER COLUMN g TYPE text;
-- case: type_json_to_jsonb
ALTER TABLE t ALTER COLUMN j TYPE jsonb USING j::jsonb;
-- case: type_text_to_text_collate
ALTER TABLE t ALTER COLUMN d TYPE text COLLATE "C";
-- case: type_same_varchar
ALTER TABLE t ALTER COLUMN h TYPE varchar;
-- case: type_same_varchar_n
ALTER TABLE t ALTER COLUMN b TYPE varchar(10);
-- case: type_same_numeric
ALTER TABLE t ALTER COLUMN c TYPE numeric(10,2);
-- case: type_same_int
ALTER TABLE t ALTER COLUMN f TYPE integer;
-- case: type_numeric_precision_widen_same_scale
ALTER TABLE t ALTER COLUMN c TYPE numeric(14,2);
-- case: type_varchar_to_text_collate
ALTER TABLE t ALTER COLUMN h TYPE text COLLATE "C";
-- case: type_timestamp_to_timestamptz_utc
SET TimeZone = 'UTC';
ALTER TABLE t ALTER COLUMN e TYPE timestamptz;
-- case: type_timestamp_to_timestamptz_etc_utc
SET TIME ZONE 'Etc/UTC';
ALTER TABLE t ALTER COLUMN e TYPE timestamptz;
-- case: type_timestamp_to_timestamptz_set_local_utc
-- in-transaction
SET LOCAL TimeZone = 'UTC';
ALTER TABLE t ALTER COLUMN e TYPE timestamptz;
-- case: type_timestamp_to_timestamptz_paris
SET TimeZone = 'Europe/Paris';
ALTER TABLE t ALTER COLUMN e TYPE timestamptz;
-- case: type_timestamp_to_timestamptz_utc_reset
SET TimeZone = 'UTC';
RESET TimeZone;
ALTER TABLE t ALTER COLUMN e TYPE timestamptz;
-- case: type_timestamptz_to_timestamp_utc
-- setup: ALTER TABLE t ADD COLUMN tz timestamptz;
-- setup: UPDATE t SET tz = now();
SET TimeZone = 'UTC';
ALTER TABLE t ALTER COLUMN tz TYPE timestamp;

-- ==== domains ====
-- case: add_column_domain_check
-- setup: CREATE DOMAIN posint AS int CHECK (VALUE > 0);
ALTER TABLE t ADD COLUMN z posint;
-- case: add_column_domain_not_null_default
-- setup: CREATE DOMAIN nnint AS int NOT NULL DEFAULT 1;
ALTER TABLE t ADD COLUMN z nnint;
-- case: add_column_domain_plain
-- setup: CREATE DOMAIN plainint AS int;
ALTER TABLE t ADD COLUMN z plainint;
-- case: alter_domain_add_check
-- also: t
-- history-only (the domain's columns are checked row by row: a new table has none)
-- setup: CREATE DOMAIN posint AS int;
-- setup: ALTER TABLE t ADD COLUMN z posint DEFAULT 1;
ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0);
-- case: alter_domain_add_check_not_valid
-- also: t
-- setup: CREATE DOMAIN posint AS int;
-- setup: ALTER TABLE t ADD COLUMN z posint DEFAULT 1;
ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0) NOT VALID;
-- case: alter_domain_validate
-- also: t
-- history-only (the domain's columns are checked row by row: a new table has none)
-- setup: CREATE DOMAIN posint AS int;
-- setup: ALTER TABLE t ADD COLUMN z posint DEFAULT 1;
-- setup: ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0) NOT VALID;
ALTER DOMAIN posint VALIDATE CONSTRAINT posint_check;
-- case: alter_domain_set_not_null
-- also: t
-- history-only (the domain's columns are checked row by row: a new table has none)
-- setup: CREATE DOMAIN posint AS int;
-- setup: ALTER TABLE t ADD COLUMN z posint DEFAULT 1;
ALTER DOMAIN posint SET NOT NULL;

-- ==== ALTER TABLE: NOT NULL, DEFAULT ====
-- case: set_not_null
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
-- case: set_not_null_with_check
-- setup: ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL);
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
-- case: drop_not_null
ALTER TABLE t ALTER COLUMN k DROP NOT NULL;
-- case: set_default
ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;
-- case: set_default_volatile
ALTER TABLE t ALTER COLUMN e SET DEFAULT clock_timestamp();
-- case: drop_default
ALTER TABLE t ALTER COLUMN k DROP DEFAULT;
-- case: set_statistics
ALTER TABLE t ALTER COLUMN a SET STATISTICS 500;
-- case: set_storage
ALTER TABLE t ALTER COLUMN d SET STORAGE EXTERNAL;
-- case: set_column_options
ALTER TABLE t ALTER COLUMN a SET (n_distinct = 100);
-- case: add_identity
ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;

-- ==== ALTER TABLE: constraints ====
-- case: add_fk
-- ignore-scan: parent (the planner chooses how the referenced table is read)
ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES parent (id);
-- case: add_fk_not_valid
ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES parent (id) NOT VALID;
-- case: add_fk_qualified
-- ignore-scan: parent (the planner chooses how the referenced table is read)
ALTER TABLE public.t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES public.parent (id) NOT VALID;
-- case: validate_fk
-- ignore-scan: parent (the planner chooses how the referenced table is read)
-- setup: ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES parent (id) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_p_fkey;
-- case: add_check
ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0);
-- case: add_check_not_valid
ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID;
-- case: validate_check
-- setup: ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_a_pos;
-- case: validate_fk_same_transaction
-- in-transaction
-- ignore: t_p_fkey (a constraint)
-- ignore-scan: parent (the planner chooses how the referenced table is read)
ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES parent (id) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_p_fkey;
-- case: validate_check_same_transaction
-- in-transaction
-- ignore: t_a_pos (a constraint)
ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_a_pos;
-- case: add_column_fk_default
-- ignore-scan: parent (the planner chooses how the referenced table is read)
ALTER TABLE t ADD COLUMN z bigint DEFAULT 1 REFERENCES parent (id);
-- case: add_unique
ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);
-- case: add_unique_using_index
-- setup: CREATE UNIQUE INDEX t_a_uidx ON t (a);
ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_uidx;
-- case: add_primary_key
-- setup: ALTER TABLE other DROP CONSTRAINT other_pkey;
ALTER TABLE other ADD PRIMARY KEY (id);
-- case: add_primary_key_using_index
-- setup: ALTER TABLE other DROP CONSTRAINT other_pkey; CREATE UNIQUE INDEX other_id_uidx ON other (id);
ALTER TABLE other ADD CONSTRAINT other_pkey PRIMARY KEY USING INDEX other_id_uidx;
-- case: add_exclusion
ALTER TABLE t ADD CONSTRAINT t_a_excl EXCLUDE USING btree (a WITH =);
-- case: drop_constraint
-- ignore: parent_name_key (a constraint name: ddlgate cannot know it is also an index's)
ALTER TABLE parent DROP CONSTRAINT parent_name_key;
-- case: drop_fk_constraint
-- setup: ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES parent (id) NOT VALID;
ALTER TABLE t DROP CONSTRAINT t_p_fkey;

-- ==== ALTER TABLE: table-level ====
-- case: rename_column
ALTER TABLE t RENAME COLUMN d TO d2;
-- case: rename_table
ALTER TABLE other RENAME TO other2;
-- case: rename_constraint
-- ignore: parent_name_key (a constraint name: ddlgate cannot know it is also an index's)
ALTER TABLE parent RENAME CONSTRAINT parent_name_key TO parent_name_uq;
-- case: rename_index
ALTER INDEX t_a_idx RENAME TO t_a_index;
-- case: rename_view
ALTER VIEW v RENAME TO v2;
-- case: set_logged
-- setup: CREATE UNLOGGED TABLE ul (id int); INSERT INTO ul VALUES (1);
ALTER TABLE ul SET LOGGED;
-- case: set_unlogged
ALTER TABLE other SET UNLOGGED;
-- case: set_tablespace
ALTER TABLE other SET TABLESPACE ts;
-- case: set_fillfactor
ALTER TABLE t SET (fillfactor = 70);
-- case: set_autovacuum
ALTER TABLE t SET (autovacuum_vacuum_scale_factor = 0.01);
-- case: reset_options
ALTER TABLE t RESET (fillfactor);
-- case: disable_trigger
ALTER TABLE t DISABLE TRIGGER t_trg;
-- case: enable_trigger
ALTER TABLE t ENABLE TRIGGER t_trg;
-- case: disable_trigger_all
ALTER TABLE t DISABLE TRIGGER ALL;
-- case: enable_rls
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
-- case: cluster_on
ALTER TABLE t CLUSTER ON t_a_idx;
-- case: replica_identity
ALTER TABLE t REPLICA IDENTITY FULL;
-- case: owner_to
ALTER TABLE t OWNER TO postgres;
-- case: attach_partition
ALTER TABLE meas ATTACH PARTITION meas_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- case: detach_partition
ALTER TABLE meas DETACH PARTITION meas_2024;
-- case: inherit
-- setup: CREATE TABLE child (id bigint PRIMARY KEY, a int);
ALTER TABLE child INHERIT s1.q;
-- case: alter_qualified
ALTER TABLE s1.q ADD COLUMN z int;
-- case: alter_sequence
ALTER SEQUENCE seq RESTART WITH 100;
-- case: alter_matview_set
ALTER MATERIALIZED VIEW mv SET (fillfactor = 50);

-- ==== indexes ====
-- case: create_index
CREATE INDEX t_b_idx ON t (b);
-- case: create_unique_index
CREATE UNIQUE INDEX t_b_uidx ON t (b, id);
-- case: create_index_partial
CREATE INDEX t_b_idx ON t (b) WHERE a > 10;
-- case: create_index_expr
CREATE INDEX t_lower_idx ON t (lower(d));
-- case: create_index_on_matview
CREATE INDEX mv_a_idx ON mv (a);
-- case: create_index_partitioned
-- ignore-scan: meas (partitioned: its partitions are read, and ddlgate cannot know it is one)
CREATE INDEX meas_at_idx ON meas (at);
-- case: create_index_concurrently notx=t:ROW EXCLUSIVE
CREATE INDEX CONCURRENTLY t_b_idx ON t (b);
-- case: drop_index
DROP INDEX t_a_idx;
-- case: drop_index_if_exists
DROP INDEX IF EXISTS t_a_idx;
-- case: drop_index_concurrently notx=t:ACCESS SHARE
DROP INDEX CONCURRENTLY t_a_idx;
-- case: reindex_index
REINDEX INDEX t_a_idx;
-- case: reindex_table
REINDEX TABLE t;
-- case: reindex_index_concurrently notx=t:ROW EXCLUSIVE
REINDEX INDEX CONCURRENTLY t_a_idx;
-- case: reindex_table_concurrently notx=other:ROW EXCLUSIVE
REINDEX TABLE CONCURRENTLY other;
-- case: alter_index_set
ALTER INDEX t_a_idx SET (fillfactor = 80);

-- ==== other DDL ====
-- case: create_table
CREATE TABLE newt (id bigint PRIMARY KEY, a int);
-- case: create_table_fk
CREATE TABLE newt (id bigint PRIMARY KEY, pid bigint REFERENCES parent (id));
-- case: create_table_table_fk
CREATE TABLE newt (id bigint PRIMARY KEY, pid bigint, CONSTRAINT newt_pid_fkey FOREIGN KEY (pid) REFERENCES parent (id));
-- case: create_table_like
CREATE TABLE newt (LIKE other INCLUDING ALL);
-- case: create_table_partition_of
CREATE TABLE meas_2026 PARTITION OF meas FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- case: create_table_as
CREATE TABLE newt AS SELECT * FROM other;
-- case: create_temp_table
CREATE TEMP TABLE tmpt (id int);
-- case: create_trigger
CREATE TRIGGER t_trg2 AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg_fn();
-- case: drop_trigger
DROP TRIGGER t_trg ON t;
-- case: create_view
CREATE VIEW v2 AS SELECT id FROM other;
-- case: create_or_replace_view
CREATE OR REPLACE VIEW v AS SELECT id, a FROM t;
-- case: drop_view
DROP VIEW v;
-- case: create_matview
CREATE MATERIALIZED VIEW mv2 AS SELECT id FROM other;
-- case: refresh_matview
REFRESH MATERIALIZED VIEW mv;
-- case: refresh_matview_concurrently
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
-- case: drop_matview
DROP MATERIALIZED VIEW mv;
-- case: drop_table
DROP TABLE other;
-- case: drop_table_two
DROP TABLE other, meas_2025;
-- case: drop_table_if_exists
DROP TABLE IF EXISTS other;
-- case: drop_table_cascade
DROP TABLE parent CASCADE;
-- case: drop_sequence
DROP SEQUENCE seq;
-- case: truncate
TRUNCATE other;
-- case: truncate_two
TRUNCATE other, meas_2025;
-- case: alter_enum_add_value
ALTER TYPE mood ADD VALUE 'happy';
-- case: comment_on_table
COMMENT ON TABLE t IS 'the t table';
-- case: comment_on_column
COMMENT ON COLUMN t.a IS 'column a';
-- case: comment_on_index
COMMENT ON INDEX t_a_idx IS 'an index';
-- case: grant_select
GRANT SELECT ON t TO PUBLIC;
-- case: revoke_select
REVOKE SELECT ON other FROM PUBLIC;
-- case: create_sequence
CREATE SEQUENCE seq2;
-- case: analyze
ANALYZE t;

-- ==== LOCK TABLE ====
-- case: lock_access_share
LOCK TABLE t IN ACCESS SHARE MODE;
-- case: lock_row_share
LOCK TABLE t IN ROW SHARE MODE;
-- case: lock_row_exclusive
LOCK TABLE t IN ROW EXCLUSIVE MODE;
-- case: lock_share_update_exclusive
LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE;
-- case: lock_share
LOCK TABLE t IN SHARE MODE;
-- case: lock_share_row_exclusive
LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE;
-- case: lock_exclusive
LOCK TABLE t IN EXCLUSIVE MODE;
-- case: lock_access_exclusive
LOCK TABLE t IN ACCESS EXCLUSIVE MODE;
-- case: lock_default_mode
LOCK TABLE t, other;
-- case: lock_qualified
LOCK TABLE s1.q IN SHARE MODE;

-- ==== DML ====
-- case: insert
INSERT INTO other (id, val) VALUES (1000, 1);
-- case: insert_select
INSERT INTO other (id, val) SELECT id + 1000, a FROM t;
-- case: update_all
UPDATE other SET val = val + 1;
-- case: update_where
UPDATE t SET a = 1 WHERE id = 5;
-- case: delete_all
DELETE FROM other;
-- case: delete_where
DELETE FROM other WHERE id < 10;
-- case: update_qualified
UPDATE s1.q SET a = 0 WHERE id = 1;
-- case: select_for_update
SELECT * FROM other WHERE id = 1 FOR UPDATE;

-- ==== maintenance (no transaction block) ====
-- case: vacuum notx=t:SHARE UPDATE EXCLUSIVE
VACUUM t;
-- case: vacuum_full notx=t:ACCESS SHARE
VACUUM FULL t;
-- case: vacuum_analyze notx=other:SHARE UPDATE EXCLUSIVE
VACUUM ANALYZE other;
-- case: cluster
CLUSTER t USING t_a_idx;
-- case: detach_partition_concurrently notx=meas_2024:ACCESS SHARE
ALTER TABLE meas DETACH PARTITION meas_2024 CONCURRENTLY;

-- ==== more spellings ====
-- case: create_index_qualified
CREATE INDEX q_a_idx ON s1.q (a);
-- case: create_unique_index_concurrently notx=t:ROW EXCLUSIVE
CREATE UNIQUE INDEX CONCURRENTLY t_id_b_uidx ON t (id, b);
-- case: drop_index_concurrently_if_exists notx=t:ACCESS SHARE
DROP INDEX CONCURRENTLY IF EXISTS t_a_idx;
-- case: vacuum_full_analyze notx=other:ACCESS SHARE
VACUUM (FULL, ANALYZE) other;
-- case: alter_table_only_check
ALTER TABLE ONLY t ADD CONSTRAINT t_k_nonneg CHECK (k >= 0) NOT VALID;
-- case: add_column_and_check
ALTER TABLE t ADD COLUMN z int NOT NULL DEFAULT 0, ADD CONSTRAINT t_z_check CHECK (z >= 0);
-- case: type_varchar_same_length
ALTER TABLE t ALTER COLUMN b TYPE varchar(10);
-- case: type_numeric_same
ALTER TABLE t ALTER COLUMN c TYPE numeric(10,2);
-- case: create_table_qualified_fk
CREATE TABLE newt (id bigint PRIMARY KEY, qid bigint REFERENCES s1.q (id));
-- case: set_without_cluster
ALTER TABLE t SET WITHOUT CLUSTER;
-- case: two_cheap_subcommands
ALTER TABLE t ALTER COLUMN k SET DEFAULT 5, ALTER COLUMN a SET STATISTICS 100;
-- case: delete_using
-- ignore-scan: t (a join: the planner chooses how each side is read)
-- ignore-scan: other (a join: the planner chooses how each side is read)
DELETE FROM t USING other WHERE other.id = t.id AND other.val > 40;
-- case: add_column_collate
ALTER TABLE t ADD COLUMN z text COLLATE "C";
-- case: rename_check_constraint
-- setup: ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0);
ALTER TABLE t RENAME CONSTRAINT t_a_pos TO t_a_positive;
-- case: comment_on_view
COMMENT ON VIEW v IS 'a view';
-- case: comment_on_matview
COMMENT ON MATERIALIZED VIEW mv IS 'a matview';
-- case: grant_all_in_schema
GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;
-- case: lock_nowait
LOCK TABLE other IN SHARE ROW EXCLUSIVE MODE NOWAIT;
-- case: create_index_only_partitioned
-- ignore-scan: meas (partitioned: ddlgate cannot know it is one)
CREATE INDEX meas_id_idx ON ONLY meas (id);
-- case: set_not_null_qualified
ALTER TABLE s1.q ALTER COLUMN a SET NOT NULL;
-- case: insert_on_conflict
INSERT INTO other (id, val) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET val = excluded.val;
-- case: update_from
-- ignore-scan: t (a join: the planner chooses how each side is read)
-- ignore-scan: other (a join: the planner chooses how each side is read)
UPDATE t SET a = other.val FROM other WHERE other.id = t.id;
-- case: cte_insert
WITH moved AS (DELETE FROM other WHERE id > 45 RETURNING id, val) INSERT INTO meas_2025 (id, at) SELECT id, '2025-06-01' FROM moved;
