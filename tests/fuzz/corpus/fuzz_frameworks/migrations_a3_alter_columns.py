"""alter columns

Revision ID: a3
Revises: a2
"""
from alembic import op
import sqlalchemy as sa

revision = 'a3'
down_revision = 'a2'
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column('orders', 'status', type_=sa.String(40), existing_type=sa.String(20))
    op.alter_column('orders', 'total', existing_type=sa.Numeric(12, 2), nullable=False)
    op.alter_column('orders', 'note', server_default='', existing_type=sa.Text())
    op.alter_column('orders', 'coupon', new_column_name='coupon_code', existing_type=sa.String(20))
    op.alter_column('accounts', 'id', type_=sa.BigInteger(), existing_type=sa.Integer())
    op.alter_column('orders', 'paid', server_default=None, existing_type=sa.Boolean())


def downgrade():
    pass
