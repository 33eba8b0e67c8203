"""Pure income rules: polis declarations and their net, attribution to months, overrides, and who
is in the population and for how long."""
