"""The import hook that keeps wheels' GEOS, PROJ and GDAL apart from QGIS's (grid_governance_plugin.__init__)."""

from __future__ import annotations

import sys
from pathlib import Path

import grid_governance_plugin as plugin


def test_extension_modules_of_bundling_wheels_load_with_deepbind():
    import pyproj  # noqa: F401 - loads pyproj._crs & co. through the hook
    import shapely  # noqa: F401

    assert any(isinstance(f, plugin._DeepBindFinder) for f in sys.meta_path)
    for name in ("shapely.lib", "pyproj._crs"):
        mod = sys.modules[name]
        if plugin._bundled_libs(mod.__file__, name.split(".")[0]):  # a PyPI wheel, as in the venv
            assert type(mod.__spec__.loader).__name__ == "DeepBindLoader", name
    # everything else binds normally
    import numpy.core._multiarray_umath as m

    assert type(m.__spec__.loader).__name__ == "ExtensionFileLoader"


def test_only_wheels_with_their_own_libraries_are_isolated(tmp_path: Path):
    wheel = tmp_path / "site" / "shapely"
    (wheel / "vectorized").mkdir(parents=True)
    (tmp_path / "site" / "shapely.libs").mkdir()
    debian = tmp_path / "dist-packages" / "shapely"
    debian.mkdir(parents=True)
    assert plugin._bundled_libs(str(wheel / "lib.so"), "shapely")
    assert plugin._bundled_libs(str(wheel / "vectorized" / "_vectorized.so"), "shapely")
    assert not plugin._bundled_libs(str(debian / "lib.so"), "shapely")


def test_the_hook_is_installed_once():
    plugin._isolate_geos()
    plugin._isolate_geos()
    assert sum(isinstance(f, plugin._DeepBindFinder) for f in sys.meta_path) == 1
