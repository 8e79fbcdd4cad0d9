"""Chokepoint headless core: catalogs, physics, policy, cost, scenarios, projects, CLI.

Never imports Qt, pyqtgraph or ``app`` (a test enforces it).
"""

__version__ = "0.1.0"
