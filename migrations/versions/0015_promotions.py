"""promotions and the listing lifecycle: free raises, Top and highlight, expiry

Revision ID: 0015_promotions
Revises: 0014
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_promotions'
down_revision = '0014'
branch_labels = None
depends_on = None

LIFETIME_DAYS = 30
NEW_COLUMNS = ('free_raised_at', 'top_until', 'highlight_until', 'expires_at', 'expiry_noticed_at')


def upgrade():
    with op.batch_alter_table('listings') as batch_op:
        for column in NEW_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.DateTime(), nullable=True))
    op.create_index(
        'ix_listings_top', 'listings', ['top_until', 'id'], unique=False,
        postgresql_where=sa.text('top_until IS NOT NULL'), sqlite_where=sa.text('top_until IS NOT NULL'),
    )
    op.create_index('ix_listings_expires', 'listings', ['expires_at'], unique=False)
    # Listings on sale when the rule starts get a whole lifetime from today, not from their
    # publication (which would expire most of them at the first run).
    now = sa.func.current_timestamp()
    listings = sa.table('listings', sa.column('status', sa.String), sa.column('expires_at', sa.DateTime))
    if op.get_bind().dialect.name == 'postgresql':
        due = sa.text(f"(now() AT TIME ZONE 'UTC') + interval '{LIFETIME_DAYS} days'")
    else:
        due = sa.func.datetime(now, f'+{LIFETIME_DAYS} days')
    op.execute(listings.update().where(listings.c.status.in_(('active', 'reserved'))).values(expires_at=due))
    op.create_table(
        'listing_promotions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('days', sa.SmallInteger(), nullable=False),
        sa.Column('amount_kzt', sa.Integer(), nullable=False),
        sa.Column('payment_ref', sa.String(length=64), nullable=True),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_promotions_listing_id_listings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_promotions')),
        sa.UniqueConstraint('payment_ref', name='uq_listing_promotions_payment_ref'),
    )
    op.create_index('ix_listing_promotions_listing_kind', 'listing_promotions', ['listing_id', 'kind', 'ends_at'], unique=False)


def downgrade():
    op.drop_index('ix_listing_promotions_listing_kind', table_name='listing_promotions')
    op.drop_table('listing_promotions')
    op.drop_index('ix_listings_expires', table_name='listings')
    op.drop_index('ix_listings_top', table_name='listings')
    with op.batch_alter_table('listings') as batch_op:
        for column in NEW_COLUMNS:
            batch_op.drop_column(column)
