SELECT 'é€😀'; CREATE INDEX "Ünï" ON "tä" (a);
