"""create tables

Revision ID: a1
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'a1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('email'),
    )
    op.create_table(
        'orders',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'), nullable=False),
        sa.Column('total', sa.Numeric(12, 2), nullable=True),
        sa.Column('status', sa.String(20), server_default='new', nullable=False),
        sa.Column('note', sa.Text()),
        sa.Index('orders_status_idx', 'status'),
    )
    op.create_index('orders_account_idx', 'orders', ['account_id'])


def downgrade():
    op.drop_table('orders')
    op.drop_table('accounts')
