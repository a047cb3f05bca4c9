revision = u'1f2e' \
    u'3d4c5b6a'
down_revision = ur'0f1e2d3c4b5a'
