CREATE INDEX i ON t (a);
SELECT 'abc;
