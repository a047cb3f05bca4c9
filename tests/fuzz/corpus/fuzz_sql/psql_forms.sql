\set ON_ERROR_STOP on
\connect app
CREATE INDEX i ON t (a);
COPY t (a, b) FROM stdin;
1	DROP TABLE x;
2	-- ddlgate:ignore all
\.
LOCK TABLE t;
SELECT format($$CREATE INDEX %I ON t (a)$$, n) FROM names \gexec
\i more.sql
\if :x
SELECT 1;
\endif
COPY t FROM stdin;
no terminator
