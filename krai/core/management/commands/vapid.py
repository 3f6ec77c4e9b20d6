"""``krai vapid``: a new VAPID key pair for web push, printed as the two environment lines to put in the server's
environment (``KRAI_VAPID_PUBLIC_KEY``, ``KRAI_VAPID_PRIVATE_KEY``). Nothing is stored: keep the private key
secret; changing the pair later makes every browser subscribe again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from krai.core.notifications.push import generate_vapid_keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair for web push as KRAI_VAPID_PUBLIC_KEY=… and KRAI_VAPID_PRIVATE_KEY=… lines."

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = generate_vapid_keys()
        self.stdout.write(f"KRAI_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"KRAI_VAPID_PRIVATE_KEY={private}")
        self.stderr.write("Put both lines in the server's environment (and KRAI_VAPID_SUBJECT=mailto:<an address>); "
                          "keep the private key secret.")
