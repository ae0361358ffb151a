"""Camera coverage engine (numpy + shapely 2, no QGIS): camera model, occluded fields of
view, DORI bands, coverage and blind spots, and placement suggestions."""
