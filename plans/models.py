"""Support plans, feedback discussions and follow-up (service path steps 7-9)."""
