"""Grid governance (网格化社会治理) QGIS plugin."""

# Packages whose PyPI wheels bundle a C/C++ library that QGIS itself links: GEOS (shapely,
# pyogrio), PROJ (pyproj, pyogrio, fiona, rasterio), GDAL (pyogrio, fiona, rasterio).
BUNDLING_PACKAGES = ("shapely", "pyproj", "pyogrio", "fiona", "rasterio")


def _bundled_libs(path: str, top: str) -> bool:
    """Whether the extension module at ``path`` comes from a wheel with its own copies of libraries.

    auditwheel puts them in ``<package>.libs`` beside the package (``shapely.libs``,
    ``pyproj.libs``); Debian's builds link the system libraries and need nothing special.
    """
    import os

    head = os.path.dirname(path)
    while head and os.path.basename(head) != top:
        parent = os.path.dirname(head)
        if parent == head:
            return False
        head = parent
    return bool(head) and os.path.isdir(os.path.join(os.path.dirname(head), top + ".libs"))


class _DeepBindFinder:
    """Loads the extension modules of :data:`BUNDLING_PACKAGES` with RTLD_DEEPBIND.

    Inside the qgis and qgis_process binaries QGIS's GEOS (3.11 on Debian 12), PROJ and GDAL
    are in the global symbol scope. A wheel's bundled copy of the same library would otherwise
    resolve some of its own symbols (C++ vtables, static objects, destructors) to QGIS's copy:
    shapely's orient_polygons killed QGIS with "free(): invalid size", and after pyproj had
    been loaded (libpysal -> geopandas -> pyproj) qgis_process aborted at exit in
    libproj's ~UnitOfMeasure (status 134). With RTLD_DEEPBIND the module and the libraries
    it brings look up symbols in themselves first. Applied per extension module, whenever and
    from whichever folder it is imported, so nothing has to be imported at start-up and
    numpy and everything else bind normally.
    """

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top not in BUNDLING_PACKAGES:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = getattr(spec, "loader", None)
        if (
            spec is None
            or not isinstance(loader, importlib.machinery.ExtensionFileLoader)
            or not _bundled_libs(loader.path, top)
        ):
            return spec
        spec.loader = _DeepBindLoader(loader.name, loader.path)
        return spec

    def invalidate_caches(self):
        pass


def _deepbind_loader_class():
    import importlib.machinery

    class DeepBindLoader(importlib.machinery.ExtensionFileLoader):
        def create_module(self, spec):
            import os
            import sys

            old = sys.getdlopenflags()
            sys.setdlopenflags(old | os.RTLD_DEEPBIND)
            try:
                return super().create_module(spec)
            finally:
                sys.setdlopenflags(old)

    return DeepBindLoader


_DeepBindLoader = _deepbind_loader_class()


def _isolate_geos() -> None:
    """Keep the GEOS, PROJ and GDAL that wheels bundle apart from QGIS's (see :class:`_DeepBindFinder`)."""
    import os
    import sys

    if not hasattr(os, "RTLD_DEEPBIND"):  # Windows and macOS use two-level namespaces already
        return
    if not any(isinstance(f, _DeepBindFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeepBindFinder())


def _activate_dependencies() -> None:
    """Packages the plugin installed itself (into the QGIS profile) go on sys.path first."""
    try:
        from .core import deps
    except Exception:  # pragma: no cover - a broken install must not stop the plugin from loading
        return
    deps.activate()


_activate_dependencies()
_isolate_geos()


def classFactory(iface):  # noqa: N802 - QGIS entry point name
    from .plugin import GridGovernancePlugin

    return GridGovernancePlugin(iface)
