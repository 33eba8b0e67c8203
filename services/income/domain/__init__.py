"""Pure income rules (polis periods, net income, attribution to months) live here; see issue 4."""
