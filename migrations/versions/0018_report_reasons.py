"""reports.category: the reason chosen from a list (spam, fraud, wrong_info, offensive, sold, other)

Revision ID: 0018_report_reasons
Revises: 0017_payments
Create Date: 2026-12-01

Reports made before the list keep their text and become "other".
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_report_reasons'
down_revision = '0017_payments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports') as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=16), server_default='other', nullable=False))


def downgrade():
    # The older code knows only the text: keep the chosen reason in it.
    op.execute(
        "UPDATE reports SET reason = '[' || category || '] ' || reason WHERE category <> 'other' OR reason = ''"
    )
    with op.batch_alter_table('reports') as batch_op:
        batch_op.drop_column('category')
