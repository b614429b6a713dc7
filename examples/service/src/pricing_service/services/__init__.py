"""Use cases: one service per business capability, orchestrating adapters and domain rules."""
