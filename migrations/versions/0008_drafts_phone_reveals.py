"""listing drafts, phone reveals, banned-user index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

A draft is a new value of listings.status (a plain string column: no schema change);
existing listings keep their status.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('phone_reveals',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_phone_reveals_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_phone_reveals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', 'user_id', name=op.f('pk_phone_reveals'))
    )
    with op.batch_alter_table('listings') as batch_op:
        batch_op.add_column(sa.Column('phone_reveals', sa.Integer(), server_default='0', nullable=False))
    op.create_index(op.f('ix_users_banned_until'), 'users', ['banned_until'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_users_banned_until'), table_name='users')
    # The older code knows no drafts: they become archived (the owner still sees them).
    op.execute("UPDATE listings SET status = 'archived' WHERE status = 'draft'")
    with op.batch_alter_table('listings') as batch_op:
        batch_op.drop_column('phone_reveals')
    op.drop_table('phone_reveals')
