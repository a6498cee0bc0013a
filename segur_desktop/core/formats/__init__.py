"""Deposit formats: the canonical demande, output templates, and the formats in force (issue #16)."""
