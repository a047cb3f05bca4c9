"""add columns

Revision ID: a2
Revises: a1
"""
from alembic import op
import sqlalchemy as sa

revision = 'a2'
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('orders', sa.Column('paid', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('orders', sa.Column('ref', sa.String(40), nullable=False))
    op.add_column('orders', sa.Column('coupon', sa.String(20)))
    op.add_column('orders', sa.Column('uid', sa.Text(), server_default=sa.text('gen_random_uuid()::text')))
    op.add_column('orders', sa.Column('total_cents', sa.BigInteger(), sa.Computed('total * 100')))
    op.add_column('orders', sa.Column('shipper_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=True))


def downgrade():
    op.drop_column('orders', 'shipper_id')
    op.drop_column('orders', 'total_cents')
    op.drop_column('orders', 'uid')
    op.drop_column('orders', 'coupon')
    op.drop_column('orders', 'ref')
    op.drop_column('orders', 'paid')
