CREATE TABLE t (id int,
);
LOCK t;