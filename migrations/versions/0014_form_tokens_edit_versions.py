"""form_submissions (one-time form tokens); edit versions of listings, posts and profiles

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

VERSIONED = (('listings', 'edit_version'), ('posts', 'edit_version'), ('users', 'profile_version'))


def upgrade():
    op.create_table(
        'form_submissions',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_submissions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_form_submissions')),
    )
    op.create_index('ix_form_submissions_user_created', 'form_submissions', ['user_id', 'created_at'], unique=False)
    for table, column in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), server_default='0', nullable=False))


def downgrade():
    for table, column in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)
    op.drop_index('ix_form_submissions_user_created', table_name='form_submissions')
    op.drop_table('form_submissions')
