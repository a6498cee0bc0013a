"""Qt item models over the core's results: views show them, nothing recomputes them."""
