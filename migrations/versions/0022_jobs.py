"""scheduled_runs (one row per periodic task and time slot, claimed once); listing_views by day

Revision ID: 0022_jobs
Revises: 0021_support_tickets
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0022_jobs'
down_revision = '0021_support_tickets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduled_runs',
        sa.Column('task', sa.String(length=80), nullable=False),
        sa.Column('slot', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_by', sa.String(length=120), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('task', 'slot', name=op.f('pk_scheduled_runs')),
    )
    op.create_index('ix_listing_views_day', 'listing_views', ['day'], unique=False)


def downgrade():
    op.drop_index('ix_listing_views_day', table_name='listing_views')
    op.drop_table('scheduled_runs')
