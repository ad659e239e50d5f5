"""users.username_skeleton: the TR39 skeleton of the username, unique (no look-alikes)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Existing accounts are backfilled in id order; when two existing usernames already look
alike, the older keeps the skeleton and the newer gets NULL (it keeps its name; new
accounts can no longer take a look-alike of either).
"""
from alembic import op
import sqlalchemy as sa

from app.auth.names import name_skeleton


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('username_skeleton', sa.String(length=255), nullable=True))
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('username', sa.String),
                     sa.column('username_skeleton', sa.String))
    seen = set()
    for user_id, username in connection.execute(sa.select(users.c.id, users.c.username).order_by(users.c.id)):
        skeleton = name_skeleton(username)
        if skeleton in seen:
            continue
        seen.add(skeleton)
        connection.execute(users.update().where(users.c.id == user_id).values(username_skeleton=skeleton))
    with op.batch_alter_table('users') as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_users_username_skeleton'), ['username_skeleton'])


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_username_skeleton'), type_='unique')
        batch_op.drop_column('username_skeleton')
