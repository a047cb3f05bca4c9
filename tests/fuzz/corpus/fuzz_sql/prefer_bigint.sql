CREATE TABLE t (id serial PRIMARY KEY, a int GENERATED ALWAYS AS IDENTITY, b smallint, c int[], PRIMARY KEY (b));
