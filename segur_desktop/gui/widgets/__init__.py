"""Reusable widgets the pages share, painted with QPainter rather than pulled from Qt add-on modules."""
