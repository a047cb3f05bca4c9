"""big alembic revision

Revision ID: b1
Revises: a1
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision: str = 'b1'
down_revision = ('a1', 'a2')
branch_labels = None
depends_on = ['x1']

def upgrade() -> None:
    op.create_index(op.f('ix_orders_c0'), 'orders', ['c0'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c1'), 'orders', ['c1'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c2', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.create_index(op.f('ix_orders_c3'), 'orders', ['c3'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.add_column('orders', sa.Column('c6', sa.Integer(), nullable=True, server_default=sa.text('0')))
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i7 ON orders (c7)""")
    op.add_column('orders', sa.Column('c8', sa.Integer(), nullable=True, server_default=sa.text('0')))
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i9 ON orders (c9)""")
    op.add_column('orders', sa.Column('c10', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.create_index(op.f('ix_orders_c11'), 'orders', ['c11'], unique=False, postgresql_concurrently=True)
    op.alter_column('orders', 'c12', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.add_column('orders', sa.Column('c13', sa.Integer(), nullable=True, server_default=sa.text('0')))
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i14 ON orders (c14)""")
    op.create_index(op.f('ix_orders_c15'), 'orders', ['c15'], unique=False, postgresql_concurrently=True)
    op.alter_column('orders', 'c16', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.alter_column('orders', 'c17', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c18'), 'orders', ['c18'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c19'), 'orders', ['c19'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c20'), 'orders', ['c20'], unique=False, postgresql_concurrently=True)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i21 ON orders (c21)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i22 ON orders (c22)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i23 ON orders (c23)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i25 ON orders (c25)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i28 ON orders (c28)""")
    op.create_index(op.f('ix_orders_c29'), 'orders', ['c29'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c30'), 'orders', ['c30'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c31'), 'orders', ['c31'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.create_index(op.f('ix_orders_c34'), 'orders', ['c34'], unique=False, postgresql_concurrently=True)
    op.alter_column('orders', 'c35', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.alter_column('orders', 'c36', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c37'), 'orders', ['c37'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c38', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.add_column('orders', sa.Column('c39', sa.Integer(), nullable=True, server_default=sa.text('0')))
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i40 ON orders (c40)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.create_index(op.f('ix_orders_c42'), 'orders', ['c42'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c43'), 'orders', ['c43'], unique=False, postgresql_concurrently=True)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i44 ON orders (c44)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i45 ON orders (c45)""")
    op.alter_column('orders', 'c46', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c47'), 'orders', ['c47'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.create_index(op.f('ix_orders_c49'), 'orders', ['c49'], unique=False, postgresql_concurrently=True)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i50 ON orders (c50)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i51 ON orders (c51)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i52 ON orders (c52)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.add_column('orders', sa.Column('c54', sa.Integer(), nullable=True, server_default=sa.text('0')))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i57 ON orders (c57)""")
    op.add_column('orders', sa.Column('c58', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.alter_column('orders', 'c59', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c60'), 'orders', ['c60'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c61', sa.Integer(), nullable=True, server_default=sa.text('0')))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.add_column('orders', sa.Column('c63', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.create_index(op.f('ix_orders_c64'), 'orders', ['c64'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c65', sa.Integer(), nullable=True, server_default=sa.text('0')))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.create_index(op.f('ix_orders_c67'), 'orders', ['c67'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c68', sa.Integer(), nullable=True, server_default=sa.text('0')))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c70', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c74', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i75 ON orders (c75)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.create_index(op.f('ix_orders_c77'), 'orders', ['c77'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.add_column('orders', sa.Column('c79', sa.Integer(), nullable=True, server_default=sa.text('0')))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i83 ON orders (c83)""")
    op.add_column('orders', sa.Column('c84', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.add_column('orders', sa.Column('c85', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.add_column('orders', sa.Column('c86', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.add_column('orders', sa.Column('c87', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.add_column('orders', sa.Column('c88', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.create_index(op.f('ix_orders_c89'), 'orders', ['c89'], unique=False, postgresql_concurrently=True)
    op.alter_column('orders', 'c90', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i91 ON orders (c91)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i92 ON orders (c92)""")
    op.alter_column('orders', 'c93', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c96', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i97 ON orders (c97)""")
    op.alter_column('orders', 'c98', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c100', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.add_column('orders', sa.Column('c101', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.create_index(op.f('ix_orders_c102'), 'orders', ['c102'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c105', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c107', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i110 ON orders (c110)""")
    op.create_index(op.f('ix_orders_c111'), 'orders', ['c111'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c112', sa.Integer(), nullable=True, server_default=sa.text('0')))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i118 ON orders (c118)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i120 ON orders (c120)""")
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i121 ON orders (c121)""")
    op.create_index(op.f('ix_orders_c122'), 'orders', ['c122'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c123', sa.Integer(), nullable=True, server_default=sa.text('0')))
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i124 ON orders (c124)""")
    op.add_column('orders', sa.Column('c125', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.alter_column('orders', 'c126', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c127'), 'orders', ['c127'], unique=False, postgresql_concurrently=True)
    op.add_column('orders', sa.Column('c128', sa.Integer(), nullable=True, server_default=sa.text('0')))
    op.create_index(op.f('ix_orders_c129'), 'orders', ['c129'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c131', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i132 ON orders (c132)""")
    op.alter_column('orders', 'c133', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c134'), 'orders', ['c134'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c135'), 'orders', ['c135'], unique=False, postgresql_concurrently=True)
    op.alter_column('orders', 'c136', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.alter_column('orders', 'c138', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.alter_column('orders', 'c139', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.alter_column('orders', 'c140', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.alter_column('orders', 'c141', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    with op.get_context().autocommit_block():
        op.execute("""CREATE INDEX CONCURRENTLY i143 ON orders (c143)""")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table
    op.create_index(op.f('ix_orders_c145'), 'orders', ['c145'], unique=False, postgresql_concurrently=True)
    op.create_index(op.f('ix_orders_c146'), 'orders', ['c146'], unique=False, postgresql_concurrently=True)
    op.alter_column('orders', 'c147', existing_type=sa.INTEGER(), type_=sa.BigInteger(), nullable=False)
    op.create_index(op.f('ix_orders_c148'), 'orders', ['c148'], unique=False, postgresql_concurrently=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"VACUUM ANALYZE {TABLE}")  # ddlgate:ignore opaque-sql fixed table


def downgrade() -> None:
    pass
