"""chat: a gapless sequence number per conversation (messages.seq, conversations.last_seq)

Ids come from one sequence taken before commit, so two concurrent senders can commit 102
before 101 and a reader that syncs "after the highest id I saw" skips 101. `seq` is
assigned under the conversation's row lock in the sending transaction: per conversation it
is gapless and in commit order. Existing messages are numbered in id order.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Window functions and UPDATE ... FROM: PostgreSQL, and SQLite >= 3.33.
BACKFILL_MESSAGES = """
UPDATE messages SET seq = numbered.n
  FROM (SELECT id, row_number() OVER (PARTITION BY conversation_id ORDER BY id) AS n FROM messages) AS numbered
 WHERE messages.id = numbered.id
"""
BACKFILL_CONVERSATIONS = """
UPDATE conversations
   SET last_seq = coalesce((SELECT max(seq) FROM messages WHERE messages.conversation_id = conversations.id), 0)
"""


def upgrade():
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seq', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
    op.execute(BACKFILL_MESSAGES)
    op.execute(BACKFILL_CONVERSATIONS)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('uq_messages_conversation_seq', ['conversation_id', 'seq'])


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint('uq_messages_conversation_seq', type_='unique')
        batch_op.drop_column('seq')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('last_seq')
