"""PyInstaller run-time hook: stand in for the PySide6.QtOpenGL binding, which is not bundled.

pyqtgraph imports it when it loads (PlotCurveItem, OpenGLHelpers) but calls into it only in its
OpenGL drawing mode (``useOpenGL``), which Chokepoint never turns on; the binding is 8.5 MB.
The empty module makes the import succeed; any OpenGL use would fail with AttributeError.
"""

import sys
import types

try:
    import PySide6.QtOpenGL  # noqa: F401 - a bundle built without the cut still uses the real one
except ImportError:
    sys.modules["PySide6.QtOpenGL"] = types.ModuleType(
        "PySide6.QtOpenGL", "not bundled: pyqtgraph's OpenGL mode is unused (packaging/)")
