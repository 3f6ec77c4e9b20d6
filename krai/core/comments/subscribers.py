"""What the comments app registers with the kernel at start-up: its part of erasing a person.

It runs after the areas (``AFTER_AREAS``) to read the threads under what they anonymised.
"""

from krai.core.comments.services import comments_erase_person
from krai.core.privacy import AFTER_AREAS, register_eraser

register_eraser("comments", comments_erase_person, order=AFTER_AREAS)
