"""The Qt face of Segur Desktop (issue #5): widgets, models and workers over `core`.

Nothing here holds business logic: pages ask the core and show its answers.
"""
