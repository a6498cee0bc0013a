"""The Qt-free heart of Segur Desktop.

Everything here takes paths and plain data and returns plain data, so that the
CLI, the GUI and the tests drive the same code. Nothing in this package may
import Qt (tests/core/test_layers.py enforces it).
"""
