"""What the orders app registers with the kernel at start-up: the control engine's part of erasing a person.

It runs after the areas (``ENGINE``): it scrubs the assignments about the objects they anonymised.
"""

from krai.core.privacy import ENGINE, register_eraser
from krai.orders.services.erasure import control_erase_person

register_eraser("orders", control_erase_person, order=ENGINE)
