"""Russian and Kazakh names of regions and cities, Cyrillic aliases of makes and models,
Russian word forms in forum search

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

The listings' search text (and so their stored tsvector) gains the aliases when the
catalogue is loaded (`flask catalog load` refreshes the listings whose aliases changed).
Forum search on PostgreSQL moves from the 'simple' configuration to 'russian', which
stems Russian words ("двигателя" ~ "двигатель") and English ones alike.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def forum_fts(config):
    op.execute("DROP INDEX IF EXISTS ix_topics_title_fts")
    op.execute("DROP INDEX IF EXISTS ix_posts_body_fts")
    op.execute(f"CREATE INDEX ix_topics_title_fts ON topics USING gin (to_tsvector('{config}', title))")
    op.execute(f"CREATE INDEX ix_posts_body_fts ON posts USING gin (to_tsvector('{config}', body))")


def upgrade():
    for table in ('regions', 'cities'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('name_ru', sa.String(length=80), nullable=False, server_default=''))
            batch_op.add_column(sa.Column('name_kk', sa.String(length=80), nullable=False, server_default=''))
    for table in ('brands', 'car_models'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('aliases', sa.Text(), nullable=False, server_default=''))
    if op.get_bind().dialect.name == 'postgresql':
        forum_fts('russian')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        forum_fts('simple')
    for table in ('brands', 'car_models'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('aliases')
    for table in ('regions', 'cities'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('name_kk')
            batch_op.drop_column('name_ru')
