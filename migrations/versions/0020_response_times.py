"""response_times: each member's median delay in answering a buyer's first chat message,
computed by scheduled work; an index to find the conversations active since the last run

Revision ID: 0020_response_times
Revises: 0019_review_deals
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_response_times'
down_revision = '0019_review_deals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'response_times',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('median_seconds', sa.Integer(), nullable=True),
        sa.Column('conversations', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_response_times_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_response_times')),
    )
    op.create_index('ix_conversations_last_message_at', 'conversations', ['last_message_at'], unique=False)


def downgrade():
    op.drop_index('ix_conversations_last_message_at', table_name='conversations')
    op.drop_table('response_times')
