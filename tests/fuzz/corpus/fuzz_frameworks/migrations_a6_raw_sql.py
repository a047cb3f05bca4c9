"""raw SQL, batch mode, renames

Revision ID: a6
Revises: a5
"""
from alembic import op
import sqlalchemy as sa

revision = 'a6'
down_revision = 'a5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE orders SET status = 'old'")
    op.execute(sa.text("CREATE INDEX orders_created_idx ON accounts (created_at)"))
    conn = op.get_bind()
    conn.execute("ALTER TABLE accounts ADD CONSTRAINT accounts_email_check CHECK (email <> '')")
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('weight', sa.Float(), nullable=True))
        batch_op.alter_column('ref', existing_type=sa.String(40), nullable=True)
        batch_op.create_index('orders_weight_idx', ['weight'])
    op.rename_table('coupons', 'vouchers')
    op.drop_column('orders', 'uid')


def downgrade():
    pass
