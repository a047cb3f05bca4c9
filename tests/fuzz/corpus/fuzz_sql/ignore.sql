-- ddlgate:ignore lock-table,prefer-bigint reason
LOCK t;
/* ddlgate:ignore-file all */
-- ddlgate:ignore nope, ,
SELECT 1;
-- ddlgate:ignore
-- ddlgate:ignore-file