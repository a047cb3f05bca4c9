"""drop a table

Revision ID: a7
Revises: a6
"""
from alembic import op
import sqlalchemy as sa

revision = 'a7'
down_revision = 'a6'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint('orders_coupon_fkey', 'orders', type_='foreignkey')
    op.drop_table('vouchers')


def downgrade():
    pass
