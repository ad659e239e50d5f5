"""payments: orders and their lines, promo codes and their redemptions

Revision ID: 0017_payments
Revises: 0016_deal_ratings
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_payments'
down_revision = '0016_deal_ratings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'promo_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=True),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('max_uses', sa.Integer(), nullable=True),
        sa.Column('used_count', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('percent', 'fixed')", name=op.f('ck_promo_codes_kind_known')),
        sa.CheckConstraint('value > 0', name=op.f('ck_promo_codes_value_positive')),
        sa.CheckConstraint("kind <> 'percent' OR value <= 100", name=op.f('ck_promo_codes_percent_at_most_100')),
        sa.CheckConstraint('used_count >= 0', name=op.f('ck_promo_codes_used_count_not_negative')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_promo_codes_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_codes')),
        sa.UniqueConstraint('code', name=op.f('uq_promo_codes_code')),
    )
    op.create_table(
        'payment_orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('subtotal', sa.BigInteger(), nullable=False),
        sa.Column('discount', sa.BigInteger(), nullable=False),
        sa.Column('total', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('promo_code_id', sa.Integer(), nullable=True),
        sa.Column('provider', sa.String(length=32), nullable=False),
        sa.Column('provider_ref', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('paid_at', sa.DateTime(), nullable=True),
        sa.Column('failed_at', sa.DateTime(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('refunded_at', sa.DateTime(), nullable=True),
        sa.Column('refunded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'paid', 'failed', 'cancelled', 'refunded')", name=op.f('ck_payment_orders_status_known')),
        sa.CheckConstraint('subtotal > 0', name=op.f('ck_payment_orders_subtotal_positive')),
        sa.CheckConstraint('discount >= 0 AND discount <= subtotal', name=op.f('ck_payment_orders_discount_within_subtotal')),
        sa.CheckConstraint('total = subtotal - discount', name=op.f('ck_payment_orders_total_is_subtotal_less_discount')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payment_orders_user_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_payment_orders_promo_code_id_promo_codes'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['refunded_by_id'], ['users.id'], name=op.f('fk_payment_orders_refunded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_orders')),
        sa.UniqueConstraint('provider', 'provider_ref', name='uq_payment_orders_provider_ref'),
    )
    op.create_index('ix_payment_orders_user_created', 'payment_orders', ['user_id', 'created_at'], unique=False)
    op.create_index('ix_payment_orders_created', 'payment_orders', ['created_at'], unique=False)
    op.create_table(
        'payment_order_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('product', sa.String(length=48), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('fulfilled_at', sa.DateTime(), nullable=True),
        sa.Column('refunded_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('amount > 0', name=op.f('ck_payment_order_lines_amount_positive')),
        sa.ForeignKeyConstraint(['order_id'], ['payment_orders.id'], name=op.f('fk_payment_order_lines_order_id_payment_orders'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_order_lines')),
    )
    op.create_index('ix_payment_order_lines_order', 'payment_order_lines', ['order_id'], unique=False)
    op.create_index('ix_payment_order_lines_product_target', 'payment_order_lines', ['product', 'target_id'], unique=False)
    op.create_table(
        'promo_redemptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('promo_code_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_promo_redemptions_promo_code_id_promo_codes'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_promo_redemptions_user_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['order_id'], ['payment_orders.id'], name=op.f('fk_promo_redemptions_order_id_payment_orders'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_redemptions')),
        sa.UniqueConstraint('promo_code_id', 'user_id', name='uq_promo_redemptions_code_user'),
    )


def downgrade():
    op.drop_table('promo_redemptions')
    op.drop_index('ix_payment_order_lines_product_target', table_name='payment_order_lines')
    op.drop_index('ix_payment_order_lines_order', table_name='payment_order_lines')
    op.drop_table('payment_order_lines')
    op.drop_index('ix_payment_orders_created', table_name='payment_orders')
    op.drop_index('ix_payment_orders_user_created', table_name='payment_orders')
    op.drop_table('payment_orders')
    op.drop_table('promo_codes')
