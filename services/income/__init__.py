"""income: polis income per person per calendar month, for the persons in the population."""
