"""static pages per language (slug + locale); forum category names and descriptions in ru/kk

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # The pages written so far are the English ones.
    with op.batch_alter_table('pages') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), server_default='en', nullable=False))
        batch_op.drop_constraint('uq_pages_slug', type_='unique')
        batch_op.create_unique_constraint('uq_pages_slug_locale', ['slug', 'locale'])
    with op.batch_alter_table('forum_categories') as batch_op:
        batch_op.add_column(sa.Column('name_ru', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('name_kk', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description_ru', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description_kk', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('forum_categories') as batch_op:
        batch_op.drop_column('description_kk')
        batch_op.drop_column('description_ru')
        batch_op.drop_column('name_kk')
        batch_op.drop_column('name_ru')
    # Only one row per slug fits the old unique constraint: keep the English page, else the first.
    op.execute(
        "DELETE FROM pages WHERE id NOT IN (SELECT COALESCE((SELECT e.id FROM pages e WHERE e.slug = p.slug"
        " AND e.locale = 'en'), MIN(p.id)) FROM pages p GROUP BY p.slug)"
    )
    with op.batch_alter_table('pages') as batch_op:
        batch_op.drop_constraint('uq_pages_slug_locale', type_='unique')
        batch_op.create_unique_constraint('uq_pages_slug', ['slug'])
        batch_op.drop_column('locale')
