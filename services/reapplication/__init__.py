"""reapplication: fast re-application after a benefit ended, and the Max-WW handover."""
