"""enums, named keys, bulk inserts, valid-later foreign keys

Revision ID: a8
Revises: a7
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'a8'
down_revision = 'a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shipments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=False),
        sa.Column('state', sa.Enum('new', 'sent', 'lost', name='shipment_state'), nullable=False),
        sa.Column('meta', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('tracking', sa.String(length=64), nullable=True, index=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='shipments_order_fk'),
        sa.PrimaryKeyConstraint('id', name='shipments_pk'),
    )
    op.bulk_insert(
        sa.table('shipments', sa.column('id', sa.Integer), sa.column('order_id', sa.BigInteger), sa.column('state', sa.String)),
        [{'id': 1, 'order_id': 1, 'state': 'new'}],
    )
    op.add_column('orders', sa.Column('shipment_id', sa.Integer(), nullable=True))
    op.create_foreign_key('orders_shipment_fk', 'orders', 'shipments', ['shipment_id'], ['id'], postgresql_not_valid=True)
    op.execute('ALTER TABLE orders VALIDATE CONSTRAINT orders_shipment_fk')
    op.create_index(op.f('ix_orders_shipment_id'), 'orders', ['shipment_id'], unique=False)


def downgrade():
    pass
