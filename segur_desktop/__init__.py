"""Segur Desktop: Ségur numérique funding requests from the vendor's spreadsheets."""

__version__ = "0.1.0"
