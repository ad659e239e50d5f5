"""Fixtures of the payment tests: the test product in the app, a signed-in buyer."""

import pytest

from tests.factories import make_user
from tests.payments.helpers import FULFILLED, REFUNDED, register_test_product


@pytest.fixture(autouse=True)
def product(app):
    """The test product is sellable, and no fulfilment has run yet."""
    register_test_product(app)
    FULFILLED.clear()
    REFUNDED.clear()


@pytest.fixture
def buyer(auth):
    user = make_user("buyer")
    auth.login("buyer")
    return user
