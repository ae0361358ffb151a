"""Grid governance (网格化社会治理) QGIS plugin."""


def _isolate_geos() -> None:
    """Load shapely's bundled GEOS with RTLD_DEEPBIND so it does not bind to QGIS's libgeos_c.

    Inside the qgis and qgis_process binaries QGIS's own GEOS (3.11 on Debian 12) is in the
    global symbol scope; shapely 2 wheels bundle a newer GEOS, and without this its calls
    mix the two libraries (orient_polygons kills QGIS with "free(): invalid size").
    """
    import os
    import sys

    if "shapely" in sys.modules or not hasattr(os, "RTLD_DEEPBIND"):
        return
    import numpy  # noqa: F401 - numpy must bind normally

    old = sys.getdlopenflags()
    sys.setdlopenflags(old | os.RTLD_DEEPBIND)
    try:
        import shapely  # noqa: F401
    except ImportError:
        pass
    finally:
        sys.setdlopenflags(old)


_isolate_geos()


def classFactory(iface):  # noqa: N802 - QGIS entry point name
    from .plugin import GridGovernancePlugin

    return GridGovernancePlugin(iface)
