"""indexes built concurrently

Revision ID: a5
Revises: a4
"""
from alembic import op
import sqlalchemy as sa

revision = 'a5'
down_revision = 'a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index('orders_total_idx', 'orders', ['total'], postgresql_concurrently=True)
        op.drop_index('orders_account_idx', table_name='orders', postgresql_concurrently=True)
    op.create_index('orders_coupon_idx', 'orders', ['coupon_code'], postgresql_concurrently=True)


def downgrade():
    pass
