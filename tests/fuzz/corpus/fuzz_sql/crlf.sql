-- c

SELECT 1;
CREATE TABLE x (
  id int
);
LOCK t;
