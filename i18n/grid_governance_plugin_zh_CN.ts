<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>GridGov</name>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="235" />
      <source>'{0}' is not an http(s) URL of an Open311 GeoReport v2 endpoint.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="31" />
      <source>(GeoPackage only, no database)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="180" />
      <source>A cell size of {0} m gives {1} cells (at most {2}); choose a larger cell size.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="201" />
      <source>A sliver of {0} m² has no neighbour in its community and stays a grid.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/provider.py" line="41" />
      <source>Algorithms of {0} are unavailable: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="63" />
      <source>Applied {0} migration(s); schema version is now {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="35" />
      <source>Area (m²)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="27" />
      <source>Area to watch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="526" />
      <source>Assign grid codes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="501" />
      <source>At most one camera per mount point</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="64" />
      <source>Blind spots</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="34" />
      <source>Blind spots, largest first (click to zoom)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="26" />
      <source>Buildings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="16" />
      <source>Camera coverage</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="307" />
      <source>Camera coverage and blind spots</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="179" />
      <source>Camera feature {0} could not be transformed: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="231" />
      <source>Camera fields of view</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="184" />
      <source>Camera {0} has no geometry; skipped.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="189" />
      <source>Camera {0} is not a single point; skipped.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/visibility.py" line="222" />
      <source>Camera {0} stands inside an obstacle more than {1} m from its wall; it sees nothing.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="220" />
      <source>Camera {0}: azimuth {1} is outside [0, 360].</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="179" />
      <source>Camera {0}: field {1} is not a number ({2}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="207" />
      <source>Camera {0}: horizontal field of view {1} is outside (0, 360].</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="248" />
      <source>Camera {0}: horizontal resolution {1} must be positive.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="234" />
      <source>Camera {0}: mount height {1} m is negative.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="215" />
      <source>Camera {0}: no azimuth, treated as an all-round camera (360 degrees).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="205" />
      <source>Camera {0}: no horizontal field of view and no default.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="232" />
      <source>Camera {0}: no mount height and no default.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="225" />
      <source>Camera {0}: no range and no default.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="227" />
      <source>Camera {0}: range {1} m must be positive.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="243" />
      <source>Camera {0}: tilt and vertical field of view must both be set; using the range only.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="237" />
      <source>Camera {0}: tilt {1} is outside [-90, 90].</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="254" />
      <source>Camera {0}: unknown status '{1}', the camera does not count.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="239" />
      <source>Camera {0}: vertical field of view {1} is outside (0, 180).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="267" />
      <source>Camera {0}: with its tilt and vertical field of view it sees no ground.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="196" />
      <source>Camera {0}: {1} is empty, using {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="183" />
      <source>Camera {0}: {1} is not a 20-digit GB/T 28181 device id.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="25" />
      <source>Cameras</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="128" />
      <source>Cameras this close to a building are mounted on its facade (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="153" />
      <source>Canceled.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="477" />
      <source>Candidate mount points</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/db.py" line="58" />
      <source>Cannot connect to '{0}': {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="22" />
      <source>Category</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="29" />
      <source>Check grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="61" />
      <source>Checking grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="49" />
      <source>Checking grids...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="147" />
      <source>Checks a grid layer and lists one feature per problem, placed where the problem is: invalid geometry, overlap between grids, gap (part of a community not covered, or without communities a hole enclosed by grids), grid outside its community, multipart grid, duplicate code, code not following the rule county 6 + street 3 + community 3 + grid 3 digits. Areas under 0.01 m² are ignored. The input is not changed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="50" />
      <source>Choose a database connection.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="44" />
      <source>Choose a grid layer first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="42" />
      <source>Choose the camera layer and the area to watch first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="33" />
      <source>Choose the events layer first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="66" />
      <source>Choose the grid and building layers first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="88" />
      <source>City</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="87" />
      <source>Close case</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="69" />
      <source>Closed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="339" />
      <source>Code field of the departmental layers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="550" />
      <source>Coded grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="25" />
      <source>Communities</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="157" />
      <source>Communities (parents)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="543" />
      <source>Communities (when grids lack a community code)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="161" />
      <source>Community code field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="262" />
      <source>Community code field of the grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="518" />
      <source>Community {0} ({1}): {2}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/gridcodes.py" line="173" />
      <source>Community {0} has more than 999 grids.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="500" />
      <source>Community {0} has no geometry: skipped.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="508" />
      <source>Community {0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="55" />
      <source>Computing coverage...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="135" />
      <source>Count ground only up to this DORI level (needs the resolution field)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="536" />
      <source>County code (6 digits, GB/T 2260)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="352" />
      <source>Coverage</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="62" />
      <source>Coverage by grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="72" />
      <source>Coverage done.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="59" />
      <source>Coverage failed; see the log.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="356" />
      <source>Coverage per grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="438" />
      <source>Covered {0:.0f} of {1:.0f} m2 ({2:.1%}); {3} blind spots.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="32" />
      <source>Creates the gridgov schema in a PostGIS database, or upgrades it, by applying the plugin's numbered migrations that are not yet applied. Running it again on an up-to-date database changes nothing. The connection is a QGIS PostgreSQL connection (its credentials stay in QGIS's authentication database or a pg_service file) or 'service=NAME'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="22" />
      <source>Deadline</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="88" />
      <source>Demo district</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="330" />
      <source>Departmental grid layers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="84" />
      <source>Dispatch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="66" />
      <source>Dispatched</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="428" />
      <source>Draws grids for each community: they cover it exactly, each is one piece, no building is cut, boundaries follow roads where possible and households stay within TOLERANCE % of the community mean where the buildings allow (the others are reported). Give TARGET_HOUSEHOLDS per grid (300-500 is common), or COUNT grids per community (COUNT wins when above 0). Method: road blocks, Voronoi cells of buildings in heavy blocks, recursive bisection by spanning-tree cuts.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="20" />
      <source>Events</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="14" />
      <source>Events and cases</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="593" />
      <source>Exact optimum {0:.0f}; the suggestion reaches {1:.1%} of it.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="475" />
      <source>Existing cameras</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="541" />
      <source>Existing code field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="488" />
      <source>Existing coverage includes offline, faulty and planned cameras</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="87" />
      <source>Feature {0} skipped: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="257" />
      <source>Fields of view</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="71" />
      <source>Generate demo city</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="110" />
      <source>Generating the city (seed {0}, scale {1})...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="95" />
      <source>GeoPackage</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="95" />
      <source>GeoPackage (*.gpkg)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="464" />
      <source>Give TARGET_HOUSEHOLDS above 0 or COUNT above 0.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="396" />
      <source>Give a target number of households per grid or a number of grids.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="352" />
      <source>Give at least one departmental grid layer.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="583" />
      <source>Give the grids' community code field or a community layer.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="187" />
      <source>Giving up after {0} attempts: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="35" />
      <source>Grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="159" />
      <source>Grid code field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="406" />
      <source>Grid feature {0} has an invalid geometry; it was repaired.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="63" />
      <source>Grid governance</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/provider.py" line="29" />
      <source>Grid governance (urban grid management)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="105" />
      <source>Grid governance plugin loaded.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="27" />
      <source>Grid governance settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="339" />
      <source>Grid id field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="16" />
      <source>Grid planning</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="55" />
      <source>Grid problems</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="238" />
      <source>Grid statistics</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="258" />
      <source>Grid workers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="71" />
      <source>Grid workload</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="78" />
      <source>Grid workload statistics</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="118" />
      <source>Grid {0} has an invalid geometry: {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="109" />
      <source>Grid {0} has no geometry.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="487" />
      <source>Grid {0} has {1} households, {2}% from the mean {3}: {4}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="133" />
      <source>Grid {0} has {1} separate parts; a grid must be one piece.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="474" />
      <source>Grid {0} is in {1} pieces: the community is not connected there.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="221" />
      <source>Grid {0} lies outside every community.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="223" />
      <source>Grid {0} reaches {1} m² outside its community {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="200" />
      <source>Grid {0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="28" />
      <source>Grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="157" />
      <source>Grids {0} and {1} overlap by {2} m².</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="67" />
      <source>Handled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="120" />
      <source>Horizontal field of view where missing (degrees)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="335" />
      <source>Hot spot analysis needs at least 3 cells, got {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="250" />
      <source>Households field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="29" />
      <source>Install or upgrade the database schema</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="100" />
      <source>Install or upgrade the database schema…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="146" />
      <source>Layer {0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="85" />
      <source>Mark handled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="37" />
      <source>Message</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="45" />
      <source>Migrations applied</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="125" />
      <source>Mount height where missing (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="569" />
      <source>No camera adds coverage; nothing suggested.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="182" />
      <source>No grid code field: the code checks are skipped.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="199" />
      <source>None of the {0} cameras could be used.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="299" />
      <source>Not a service request object: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="485" />
      <source>Number of cameras to suggest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="450" />
      <source>Number of grids per community (0: use target)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="208" />
      <source>Obstacle feature {0} could not be transformed: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="211" />
      <source>Obstacle feature {0} has an invalid geometry; it was repaired.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="26" />
      <source>Obstacles</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="250" />
      <source>Obstacles (building footprints)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="232" />
      <source>One polygon per camera: the ground it sees, from its azimuth, horizontal field of view, range, mount height, tilt and vertical field of view, hidden behind building footprints (OBSTACLES). A camera within the facade tolerance of a building is taken as mounted on its facade: sight starts at the wall. A camera deep inside a building sees nothing and is reported. Missing values take the defaults; cameras without azimuth are treated as all-round. With DORI bands the view is cut into the IEC 62676-4 identify/recognise/observe/detect zones (needs the resolution field).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="23" />
      <source>Open cases past their deadline</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="125" />
      <source>Other system</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="255" />
      <source>Output DORI bands</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="321" />
      <source>Overlays several departmental grid layers and proposes one unified grid: pieces narrower than TOLERANCE (slivers where departments disagree) are merged into the neighbour sharing the longest border, boundaries snap to the reference lines (roads, rivers, walls). With communities, each community is covered exactly once. Also writes a table of which departmental grids each unified grid takes over (share of area) and the slivers for review.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="427" />
      <source>Partition communities into grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="40" />
      <source>Passwords are never stored by this plugin: use a QGIS authentication configuration or a pg_service name in the connection.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="239" />
      <source>Per grid: households, population and buildings (a building counts for the grid holding its point on surface), events, area, Polsby-Popper compactness 4πA/P², deviation of households from the mean of the grid's community in %, and whether a worker is assigned.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="342" />
      <source>Planned coverage (count offline, faulty and planned cameras too)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="253" />
      <source>Population field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="38" />
      <source>PostgreSQL connection</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="548" />
      <source>Previous grids (same code field; default: the grids themselves)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="37" />
      <source>Problem</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="86" />
      <source>Random seed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="123" />
      <source>Range where missing (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="333" />
      <source>Reference lines (roads, rivers, walls)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="83" />
      <source>Register</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="65" />
      <source>Registered</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="552" />
      <source>Renumbering report</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="64" />
      <source>Reported</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="79" />
      <source>Return</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="446" />
      <source>Roads</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="30" />
      <source>Run coverage</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="88" />
      <source>Scale</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="92" />
      <source>Scale factor (overrides scale)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="44" />
      <source>Schema version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="308" />
      <source>Service code '{0}' ({1}) has no category in the service map.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="287" />
      <source>Service map line '{0}' is not service_code=category.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="95" />
      <source>Settings…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="25" />
      <source>Show overdue cases</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="346" />
      <source>Slivers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="22" />
      <source>Status</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="31" />
      <source>Store</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="448" />
      <source>Suggest camera positions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="505" />
      <source>Suggested cameras</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="590" />
      <source>Suggested {0} cameras adding {1:.0f} (weighted m2) by {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="449" />
      <source>Suggests COUNT new cameras (with the default lens, range and height) that add the most coverage of the TARGET not yet seen by the existing CAMERAS. Mount points come from CANDIDATES or, when absent, are generated along building facades and street edges every 'site spacing' metres; each is tried with several azimuths. The target is sampled on a lattice; WEIGHTS points (e.g. past events) make nearby ground count more. A lazy greedy choice (within 1 - 1/e of the optimum) is always made; on small instances the exact optimum is found with a MILP as well and the better choice is kept. The log reports the gain and, where solved, the optimum.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="344" />
      <source>Takeover table</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="335" />
      <source>Target area (street space, squares...)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="383" />
      <source>Target feature {0} could not be transformed: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="403" />
      <source>Target feature {0} has an invalid geometry; it was repaired.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="448" />
      <source>Target households per grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/crs.py" line="52" />
      <source>The CRS {0} is projected but not in metres; reproject the layer first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/tasks.py" line="35" />
      <source>The algorithm {0} is not available.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="400" />
      <source>The area has no valid polygon geometry.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/db.py" line="48" />
      <source>The authentication configuration '{0}' of connection '{1}' could not be read.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="274" />
      <source>The building layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="472" />
      <source>The building layer has no households field: give COUNT instead.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="278" />
      <source>The building layer has no households field: households are 0 everywhere.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="272" />
      <source>The buildings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="169" />
      <source>The camera layer has no field {0}; its default is used.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="536" />
      <source>The candidate layer has no points.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="167" />
      <source>The cell size must be a positive number of metres.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="53" />
      <source>The check failed; see the log.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="61" />
      <source>The code '{0}' does not start with the code '{1}' of its community.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="58" />
      <source>The code '{0}' has grid serial 000; serials start at 001.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="53" />
      <source>The code '{0}' must have 15 digits (county 6 + street 3 + community 3 + grid 3).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="190" />
      <source>The code {0} is used by {1} grids: {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="168" />
      <source>The communities</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/gridcodes.py" line="118" />
      <source>The community code '{0}' must have 12 digits (or 6 with a county code).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="468" />
      <source>The community layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="40" />
      <source>The county code '{0}' does not start with a GB/T 2260 province code.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="38" />
      <source>The county code '{0}' must have 6 digits (GB/T 2260).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="106" />
      <source>The departmental layers hold no polygons.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="247" />
      <source>The end of the import period must be after its start.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="51" />
      <source>The grid has no code.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/gridcodes.py" line="122" />
      <source>The grid has no geometry.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="169" />
      <source>The grid layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="388" />
      <source>The grid layer has no field {0}; feature ids are used.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/crs.py" line="47" />
      <source>The layer has no valid coordinate reference system.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="589" />
      <source>The previous grids have no field '{0}'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="316" />
      <source>The request has no coordinates (lat/long).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="305" />
      <source>The request has no service_request_id.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="108" />
      <source>The scale factor '{0}' is not a number.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="59" />
      <source>The schema could not be installed: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="65" />
      <source>The schema is up to date (version {0}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="277" />
      <source>The service map is not valid JSON: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="279" />
      <source>The service map must be a JSON object of service_code: category.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="529" />
      <source>The target layer has no polygons.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="293" />
      <source>The worker table has no field 'worker_id'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="170" />
      <source>There are no events to build a grid over.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/db.py" line="38" />
      <source>There is no PostgreSQL connection named '{0}' in QGIS.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="452" />
      <source>Tolerance (%)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="341" />
      <source>Tolerance (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="262" />
      <source>Unified grid {0} is in several pieces.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="342" />
      <source>Unified grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="320" />
      <source>Unify departmental grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="243" />
      <source>Unknown weights '{0}'; use one of {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="337" />
      <source>Use at least 9 permutations (999 is usual).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="146" />
      <source>Validate grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="68" />
      <source>Verified</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="86" />
      <source>Verify</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="70" />
      <source>Void</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="482" />
      <source>Weight field (empty: 1 per point)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="479" />
      <source>Weight points (e.g. past events)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="308" />
      <source>Which part of the TARGET polygons (street space, squares, entrances) the cameras see, taking building footprints as obstacles. COVERAGE is the seen part (dissolved; one feature per grid when GRIDS are given), BLIND_SPOTS the target minus coverage minus buildings as single polygons with their area and grid, GRID_STATS per grid the target area (without buildings), covered area, ratio, number of blind spots and the area watched by two or more cameras. Only online cameras count unless 'planned coverage' is ticked (then online, offline, faulty and planned cameras count; obstructed ones never do).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="213" />
      <source>Window {0} .. {1}, page {2}: {3}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="375" />
      <source>Window {0} .. {1}: {2} requests so far.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="260" />
      <source>Worker id field of the grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="263" />
      <source>Working in {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="33" />
      <source>Workload statistics</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="74" />
      <source>Workload statistics for {0} grid(s).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="74" />
      <source>Writes a generated district (streets, buildings, communities, grids, departmental grids, cameras and two years of events) into a GeoPackage store. The same seed always gives the same city. Scale 'city' generates a whole city for benchmarks.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="527" />
      <source>Writes grid codes county (6, GB/T 2260) + street (3) + community (3) + serial (3). Serials run west→east in rows north→south within each community (a row = grids whose centres lie within half the median grid height below the row's first grid). Grids that did not change (IoU ≥ 0.95 with a previous grid) keep their code; the report lists kept, renumbered, new and retired codes. The input is not changed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="262" />
      <source>cameras</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="161" />
      <source>cannot reach {0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="261" />
      <source>community {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="182" />
      <source>feature {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="483" />
      <source>it holds a block or building of {0} households, more than the upper bound {1}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="312" />
      <source>requested_datetime '{0}' is not a date and time.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="366" />
      <source>target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="282" />
      <source>the area enclosed by the grids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="486" />
      <source>the buildings around it do not allow a closer split.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="164" />
      <source>{0} answered HTTP {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="167" />
      <source>{0} answered HTTP {1}: {2}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="79" />
      <source>{0} are in {1}, the grids in {2}: both are reprojected to {3} for the analysis.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="313" />
      <source>{0} buildings lie outside every grid.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="613" />
      <source>{0} codes kept, {1} renumbered, {2} new, {3} retired.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/tasks.py" line="46" />
      <source>{0} did not finish.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="519" />
      <source>{0} grids drawn for {1} communities.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="133" />
      <source>{0} has no field '{1}'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="370" />
      <source>{0} has no field '{1}': its grids are named by feature id.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="366" />
      <source>{0} is in {1}: reprojected to {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="91" />
      <source>{0} more messages of level {1} were not shown.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="566" />
      <source>{0} mount points, {1} options, {2} sample points of unseen target.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="241" />
      <source>{0} m² of {1} is not covered by any grid (next to {2}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="212" />
      <source>{0} obstacles ({1} after merging overlapping ones).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="373" />
      <source>{0} of {1} cameras count toward coverage (status).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="39" />
      <source>{0} overdue case(s) shown.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="59" />
      <source>{0} problem(s) found.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="199" />
      <source>{0} problems found in {1} grids.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="178" />
      <source>{0} returned something that is not a GeoReport v2 JSON list: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="420" />
      <source>{0} unified grids, {1} slivers merged.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="99" />
      <source>{0}: feature {1} has an invalid geometry ({2}); it is repaired in memory only.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="95" />
      <source>{0}: feature {1} has no geometry and is ignored.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="120" />
      <source>{0}: the field '{1}' is not a number in features {2}; counted as 0.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="102" />
      <source>{0}: {1} more invalid geometries.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="88" />
      <source>{0}: {1} requests fetched in {2} windows; {3} new, {4} already imported, {5} rejected.</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
