"""The site as gunicorn serves it (run.py), plus the payment tests' own product, whose
fulfilment writes to the file named by PAYMENTS_TEST_FULFIL_LOG: the browser test's server."""

from run import app
from tests.payments.helpers import register_test_product

register_test_product(app)
