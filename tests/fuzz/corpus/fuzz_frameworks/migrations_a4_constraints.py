"""constraints and indexes

Revision ID: a4
Revises: a3
"""
from alembic import op
import sqlalchemy as sa

revision = 'a4'
down_revision = 'a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'coupons',
        sa.Column('code', sa.String(20), nullable=False),
        sa.Column('percent', sa.Integer(), nullable=False),
    )
    op.create_primary_key('coupons_pkey', 'coupons', ['code'])
    op.create_foreign_key('orders_coupon_fkey', 'orders', 'coupons', ['coupon_code'], ['code'])
    op.create_unique_constraint('orders_ref_key', 'orders', ['ref'])
    op.create_check_constraint('orders_total_positive', 'orders', sa.text('total >= 0'))
    op.create_index('orders_ref_paid_idx', 'orders', ['ref'], unique=True, postgresql_where=sa.text('paid'))
    op.drop_index('orders_status_idx', table_name='orders')
    op.drop_constraint('orders_ref_key', 'orders', type_='unique')


def downgrade():
    pass
