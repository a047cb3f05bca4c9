SELECT "abc;
LOCK t;