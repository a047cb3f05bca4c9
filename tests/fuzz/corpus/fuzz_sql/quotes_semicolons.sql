SELECT E'it''s \\' ; x', $t$ ; $t$, "a;b", U&'d\0061;', b'01', x'ff' FROM t; SELECT 1 -- ;
/* ; /* ; */ */ ;
