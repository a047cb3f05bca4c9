# -*- coding: utf-8 -*-
# no `revision =`: Alembic takes the id from the hex file name
down_revision = None
print "python 2 statements are skipped, not evaluated"
