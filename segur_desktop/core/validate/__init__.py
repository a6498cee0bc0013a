"""Validation: JSON Schema conformity and the programme's business rules."""
