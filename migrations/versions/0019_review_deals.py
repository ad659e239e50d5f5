"""reviews bound to a deal: one per author and listing (was: per author and seller), the
seller's reply, moderators' removal

Revision ID: 0019_review_deals
Revises: 0018_report_reasons
Create Date: 2026-12-01

Older reviews have no listing and keep showing: NULL listings never collide in the new
unique constraint.
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_review_deals'
down_revision = '0018_report_reasons'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews') as batch_op:
        batch_op.drop_constraint('uq_reviews_author_seller', type_='unique')
        batch_op.add_column(sa.Column('reply', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint('uq_reviews_author_listing', ['author_id', 'listing_id'])


def downgrade():
    # The older schema allows one review per author and seller: keep each pair's newest.
    op.execute(
        "DELETE FROM reviews WHERE id NOT IN (SELECT max(id) FROM reviews GROUP BY author_id, seller_id)"
    )
    with op.batch_alter_table('reviews') as batch_op:
        batch_op.drop_constraint('uq_reviews_author_listing', type_='unique')
        batch_op.drop_column('removed_at')
        batch_op.drop_column('replied_at')
        batch_op.drop_column('reply')
        batch_op.create_unique_constraint('uq_reviews_author_seller', ['author_id', 'seller_id'])
