"""support tickets and their messages

Revision ID: 0021_support_tickets
Revises: 0020_response_times
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0021_support_tickets'
down_revision = '0020_response_times'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'support_tickets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('subject', sa.String(length=150), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('access_key', sa.String(length=64), nullable=False),
        sa.Column('form_token', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_support_tickets_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_tickets')),
        sa.UniqueConstraint('access_key', name=op.f('uq_support_tickets_access_key')),
        sa.UniqueConstraint('form_token', name=op.f('uq_support_tickets_form_token')),
    )
    op.create_index('ix_support_tickets_status_updated', 'support_tickets', ['status', 'updated_at'], unique=False)
    op.create_index('ix_support_tickets_user_updated', 'support_tickets', ['user_id', 'updated_at'], unique=False)
    op.create_table(
        'support_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('from_staff', sa.Boolean(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('form_token', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_support_messages_author_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['ticket_id'], ['support_tickets.id'], name=op.f('fk_support_messages_ticket_id_support_tickets'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_messages')),
        sa.UniqueConstraint('form_token', name=op.f('uq_support_messages_form_token')),
    )
    op.create_index('ix_support_messages_ticket', 'support_messages', ['ticket_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_support_messages_ticket', table_name='support_messages')
    op.drop_table('support_messages')
    op.drop_index('ix_support_tickets_user_updated', table_name='support_tickets')
    op.drop_index('ix_support_tickets_status_updated', table_name='support_tickets')
    op.drop_table('support_tickets')
