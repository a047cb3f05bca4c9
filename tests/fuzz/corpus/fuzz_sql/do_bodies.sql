DO $$ BEGIN CREATE INDEX i ON t (a); END $$;
DO $body$
DECLARE r record; n int;
BEGIN
  -- ddlgate:ignore require-concurrent-index inside
  EXECUTE 'CREATE INDEX j ON t (b)';
  EXECUTE 'ALTER TABLE t ADD COLUMN x int' || ' DEFAULT 1';
  EXECUTE format('DROP TABLE %I', 'old');
  FOR r IN EXECUTE 'SELECT 1' LOOP PERFORM 1; END LOOP;
  PERFORM pg_sleep(0);
  SELECT count(*) INTO n FROM t;
  IF n > 0 THEN UPDATE t SET a = 1; ELSE DELETE FROM t; END IF;
  EXECUTE E'ALTER TABLE t ADD COLUMN y text';
  EXECUTE 'LOCK TABLE t; LOCK TABLE u';
  EXECUTE 'DO $x$ BEGIN EXECUTE ''CREATE INDEX k ON t (c)''; END $x$';
END
$body$;
DO 'BEGIN EXECUTE ''VACUUM FULL t''; END';
DO LANGUAGE plpython3u $$ plpy.execute("DROP TABLE t") $$;
DO $$ BEGIN EXECUTE 'not sql at all'; END $$;
DO $$ BEGIN broken syntax here; END $$;
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t DROP COLUMN a; END $$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1; TRUNCATE t';
