"""Every write of law-making, one module per part (each public function permission-checked and evented)."""
