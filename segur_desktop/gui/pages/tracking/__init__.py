"""The Suivi page: every exported demande, its status on the ASP portal, its history; what to do next.

- `page`: `TrackingPage`, the page's widgets and what they show: totals, filters, the register's table;
- `selection`: which demandes are selected, and the current one's history and deposits;
- `actions`: what the buttons and menus do: status changes, status files, follow-up bundles, differences,
  and under « Registre » an older bundle to record and the register's backup.
"""

from segur_desktop.gui.pages.tracking.page import TrackingPage

__all__ = ["TrackingPage"]
