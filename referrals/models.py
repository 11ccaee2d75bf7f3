"""Referrals, unemployed health checks, feedback and doctor's assessments (steps 1-4, 6)."""
