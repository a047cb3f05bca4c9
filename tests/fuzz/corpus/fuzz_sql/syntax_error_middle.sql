SELECT 1;
SELEC 2;
CREATE INDEX i ON t (a);
foo bar; baz;
