"""Citizens' control: problem reports routed to the responsible body, with a deadline, on a map, and Open311."""
