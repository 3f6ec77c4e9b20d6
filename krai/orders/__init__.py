"""Orders control: the control engine every area uses for what a public body must answer by a deadline."""
