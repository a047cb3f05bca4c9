"""add name (written on another branch, on the same parent)"""
from typing import Sequence, Union

from alembic import op

revision: str = "3c4d5e6f7081"
down_revision: Union[str, None] = "1a2b3c4d5e6f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("ALTER TABLE users ADD COLUMN name text")
