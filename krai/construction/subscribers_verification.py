"""Construction's reactions to events and registrations with the kernel: the verification part (written by its owner)."""
