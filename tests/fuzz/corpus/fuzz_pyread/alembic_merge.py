"""merge_heads"""
from alembic import op

revision = "4d5e6f708192"
down_revision = ("2b3c4d5e6f70", "3c4d5e6f7081")
branch_labels = None

def upgrade():
    op.execute("SELECT 1")
