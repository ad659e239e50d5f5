"""deal_ratings (price against similar cars on sale) and its copy listings.deal_band

Revision ID: 0016_deal_ratings
Revises: 0015_promotions
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_deal_ratings'
down_revision = '0015_promotions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deal_ratings',
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('band', sa.String(length=4), nullable=False),
        sa.Column('median_kzt', sa.BigInteger(), nullable=False),
        sa.Column('compared', sa.Integer(), nullable=False),
        sa.Column('rated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_deal_ratings_listing_id_listings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_deal_ratings')),
    )
    with op.batch_alter_table('listings') as batch_op:
        batch_op.add_column(sa.Column('deal_band', sa.String(length=4), nullable=True))


def downgrade():
    with op.batch_alter_table('listings') as batch_op:
        batch_op.drop_column('deal_band')
    op.drop_table('deal_ratings')
