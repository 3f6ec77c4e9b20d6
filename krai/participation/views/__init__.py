"""Pages of participation: thin views over the services and selectors (one module per part)."""
