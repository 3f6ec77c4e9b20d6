"""Law-making's shared reads, one module per part, each scoped to the reader."""
