<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>GridGov</name>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="577" />
      <source>'{0}' is not a date; ignored.</source>
      <translation>“{0}”不是日期；已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/live.py" line="98" />
      <source>'{0}' is not a valid channel name.</source>
      <translation>“{0}”不是有效的频道名称。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/device_ids.py" line="46" />
      <source>'{0}' is not an 8-digit centre code (county 6 + unit 2).</source>
      <translation>“{0}”不是 8 位中心编码（县级 6 位 + 基层单位 2 位）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="253" />
      <source>'{0}' is not an http(s) URL of an Open311 GeoReport v2 endpoint.</source>
      <translation>“{0}”不是 Open311 GeoReport v2 端点的 http(s) URL。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="37" />
      <source>(GeoPackage only, no database)</source>
      <translation>（仅 GeoPackage，无数据库）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/report_pdf.py" line="259" />
      <source>(continued)</source>
      <translation>（续）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="154" />
      <source>(department unchanged)</source>
      <translation>（部门不变）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="94" />
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="139" />
      <source>(row {0})</source>
      <translation>（第 {0} 行）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="81" />
      <source>(test DSN)</source>
      <translation>（测试 DSN）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="155" />
      <source>(worker unchanged)</source>
      <translation>（网格员不变）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="49" />
      <source>12345 hotline</source>
      <translation>12345 热线</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="286" />
      <source>360 on a dome or untyped camera means all-round</source>
      <translation>球机或未注明类型的摄像机取 360 表示全向</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="67" />
      <source>A QGIS PostgreSQL connection (Data Source Manager › PostgreSQL; it may use an authentication configuration), a pg_service name, or type service=NAME.</source>
      <translation>QGIS 的 PostgreSQL 连接（数据源管理器 › PostgreSQL，可使用认证配置）、pg_service 服务名，或直接输入 service=服务名。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="190" />
      <source>A case counts in the period its handling was due in; on time when handled by its deadline.</source>
      <translation>案件计入其处置时限所在的时段；在时限内处置即为按时。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="246" />
      <source>A category filter needs a category field; the events have none of {0}.</source>
      <translation>类别筛选需要类别字段；事件中没有 {0} 中的任何字段。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="180" />
      <source>A cell size of {0} m gives {1} cells (at most {2}); choose a larger cell size.</source>
      <translation>单元格大小 {0} m 将产生 {1} 个单元格（最多 {2} 个）；请选择更大的单元格大小。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="64" />
      <source>A community</source>
      <translation>某个社区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="474" />
      <source>A computation is running; wait for it or cancel it.</source>
      <translation>正在计算中：请等待完成或取消。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="56" />
      <source>A gridgov Processing provider is already registered; this copy does not add another.</source>
      <translation>已注册了一个 gridgov 处理工具提供程序，本副本不再重复注册。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="427" />
      <source>A plan needs a name; no draft was created.</source>
      <translation>方案需要名称，未创建草稿。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="246" />
      <source>A sliver of {0} m² has no neighbour in its community and stays a grid.</source>
      <translation>面积为 {0} m² 的碎片在其社区内没有相邻网格，保留为独立网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="242" />
      <source>A time window needs a time field; the events have none of {0}.</source>
      <translation>时间窗口需要时间字段；事件中没有 {0} 中的任何字段。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="115" />
      <source>Actions</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_tool.py" line="401" />
      <source>Add camera</source>
      <translation>添加摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="104" />
      <source>Add row</source>
      <translation>添加行</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="768" />
      <source>Added coverage (weighted m2)</source>
      <translation>新增覆盖（加权 m2）</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="281" />
      <source>Administrative areas</source>
      <translation>行政区划</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/provider.py" line="41" />
      <source>Algorithms of {0} are unavailable: {1}</source>
      <translation>{0} 的算法不可用：{1}</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="277" />
      <source>All events</source>
      <translation>全部事件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="583" />
      <source>Already imported</source>
      <translation>已导入</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="469" />
      <source>Also cases due within (hours)</source>
      <translation>同时包括在以下时间内到期的案件（小时）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="124" />
      <source>Also list defaulted values</source>
      <translation>同时列出取默认值的字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="709" />
      <source>An atlas export is already running.</source>
      <translation>已有图册正在导出。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="721" />
      <source>An atlas export is running; cancel it or wait for it.</source>
      <translation>图册正在导出：可取消或等待完成。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="707" />
      <source>Any category</source>
      <translation>任意类别</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="708" />
      <source>Any department</source>
      <translation>任意部门</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="709" />
      <source>Any grid</source>
      <translation>任意网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="507" />
      <source>Any status</source>
      <translation>任意状态</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="458" />
      <source>Any time</source>
      <translation>任意时间</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="65" />
      <source>Applied {0} migration(s); schema version is now {1}.</source>
      <translation>已应用 {0} 个迁移；模式版本现为 {1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="57" />
      <source>Archived</source>
      <translation>已归档</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="797" />
      <source>Area</source>
      <translation>范围</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="209" />
      <source>Area (m²)</source>
      <translation>面积（平方米）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="91" />
      <source>Area to watch</source>
      <translation>监控区域</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="30" />
      <source>Area to watch (street space)</source>
      <translation>监控区域（街道空间）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="211" />
      <source>Area: {0} ha</source>
      <translation>面积：{0} 公顷</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="126" />
      <source>Assign</source>
      <translation>分派</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="782" />
      <source>Assign grid codes</source>
      <translation>编制网格编码</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/workers.py" line="111" />
      <source>Assign grid workers</source>
      <translation>分配网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="272" />
      <source>Assign to selected grids</source>
      <translation>分配给所选网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="830" />
      <source>Assign to the department / worker chosen in the card…</source>
      <translation>分派给卡片中选择的部门/网格员…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="867" />
      <source>Assign {0} cases</source>
      <translation>分派 {0} 个案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="120" />
      <source>Assignment</source>
      <translation>分派对象</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="465" />
      <source>At (default: now)</source>
      <translation>时间点（默认：当前）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="760" />
      <source>At most one camera per mount point</source>
      <translation>每个安装点最多一个摄像头</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="164" />
      <source>Atlas PDF…</source>
      <translation>PDF 图册…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="340" />
      <source>Atlas of {0} grid(s) written to {1}.</source>
      <translation>{0} 个网格的图册已写入 {1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="727" />
      <source>Atlas sheet {0} of {1}…</source>
      <translation>图册第 {0} / {1} 页…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="54" />
      <source>Automatic (from the file name)</source>
      <translation>自动（根据文件名）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="156" />
      <source>Azimuth field (degrees clockwise from north)</source>
      <translation>方位角字段（从正北顺时针，度）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="743" />
      <source>Azimuths tried per mount point</source>
      <translation>每个安装点尝试的方位角数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="59" />
      <source>BD-09 (Baidu)</source>
      <translation>BD-09（百度）</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="285" />
      <source>Base map</source>
      <translation>底图</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="462" />
      <source>Between…</source>
      <translation>介于…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="356" />
      <source>Blind spots</source>
      <translation>盲区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="208" />
      <source>Blind spots, largest first (click to zoom)</source>
      <translation>盲区（从大到小，单击缩放）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="91" />
      <source>Buildings</source>
      <translation>建筑</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="26" />
      <source>Buildings / obstacles</source>
      <translation>建筑/遮挡物</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="86" />
      <source>Buildings and walls that block the view.</source>
      <translation>遮挡视线的建筑物和围墙。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="200" />
      <source>Buildings: {0}</source>
      <translation>建筑数：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="59" />
      <source>CGCS2000</source>
      <translation>CGCS2000</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="55" />
      <source>CSV device list</source>
      <translation>CSV 设备清单</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="70" />
      <source>Camera coverage</source>
      <translation>摄像头覆盖</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="416" />
      <source>Camera coverage and blind spots</source>
      <translation>摄像头覆盖与盲区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="273" />
      <source>Camera feature {0} could not be transformed: {1}</source>
      <translation>摄像头要素 {0} 无法转换：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="327" />
      <source>Camera fields of view</source>
      <translation>摄像头视场</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="155" />
      <source>Camera id field</source>
      <translation>摄像头 ID 字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="103" />
      <source>Camera import report</source>
      <translation>摄像机导入报告</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="39" />
      <source>Camera lists (*.csv *.txt *.xlsx *.geojson *.json *.gpkg *.osm);;All files (*)</source>
      <translation>摄像机清单 (*.csv *.txt *.xlsx *.geojson *.json *.gpkg *.osm);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_tool.py" line="192" />
      <source>Camera tool: {0} obstacles prepared in {1}.</source>
      <translation>摄像机工具：已在 {1} 中准备 {0} 个障碍物。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="278" />
      <source>Camera {0} has no geometry; skipped.</source>
      <translation>摄像头 {0} 没有几何；已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="283" />
      <source>Camera {0} is not a single point; skipped.</source>
      <translation>摄像头 {0} 不是单点；已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/visibility.py" line="354" />
      <source>Camera {0} stands inside an obstacle more than {1} m from its wall; it sees nothing.</source>
      <translation>摄像头 {0} 位于遮挡物内部，距其墙面超过 {1} m；无任何可视范围。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="226" />
      <source>Camera {0}: azimuth {1} is outside [0, 360].</source>
      <translation>摄像头 {0}：方位角 {1} 超出 [0, 360] 范围。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="179" />
      <source>Camera {0}: field {1} is not a number ({2}).</source>
      <translation>摄像头 {0}：字段 {1} 不是数字（{2}）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="209" />
      <source>Camera {0}: horizontal field of view {1} is outside (0, 360].</source>
      <translation>摄像头 {0}：水平视场角 {1} 超出 (0, 360] 范围。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="258" />
      <source>Camera {0}: horizontal resolution {1} must be positive.</source>
      <translation>摄像头 {0}：水平分辨率 {1} 必须为正数。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="240" />
      <source>Camera {0}: mount height {1} m is negative.</source>
      <translation>摄像头 {0}：安装高度 {1} m 为负数。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="220" />
      <source>Camera {0}: no azimuth, treated as an all-round camera (360 degrees).</source>
      <translation>摄像头 {0}：无方位角，按全景摄像头（360 度）处理。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="207" />
      <source>Camera {0}: no horizontal field of view and no default.</source>
      <translation>摄像头 {0}：无水平视场角，也无默认值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="238" />
      <source>Camera {0}: no mount height and no default.</source>
      <translation>摄像头 {0}：无安装高度，也无默认值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="231" />
      <source>Camera {0}: no range and no default.</source>
      <translation>摄像头 {0}：无监视距离，也无默认值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="233" />
      <source>Camera {0}: range {1} m must be positive.</source>
      <translation>摄像头 {0}：监视距离 {1} m 必须为正数。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="252" />
      <source>Camera {0}: tilt and vertical field of view must both be set; using the range only.</source>
      <translation>摄像头 {0}：俯仰角与垂直视场角须同时设置；仅使用监视距离。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="243" />
      <source>Camera {0}: tilt {1} is outside [-90, 90].</source>
      <translation>摄像头 {0}：俯仰角 {1} 超出 [-90, 90] 范围。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="267" />
      <source>Camera {0}: unknown status '{1}', the camera does not count.</source>
      <translation>摄像头 {0}：未知状态“{1}”，该摄像头不计入。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="245" />
      <source>Camera {0}: vertical field of view {1} is outside (0, 180).</source>
      <translation>摄像头 {0}：垂直视场角 {1} 超出 (0, 180) 范围。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="293" />
      <source>Camera {0}: with its tilt and vertical field of view it sees no ground.</source>
      <translation>摄像头 {0}：按其俯仰角和垂直视场角，看不到地面。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="197" />
      <source>Camera {0}: {1} is empty, using {2}.</source>
      <translation>摄像头 {0}：{1} 为空，使用 {2}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/camera.py" line="183" />
      <source>Camera {0}: {1} is not a 20-digit GB/T 28181 device id.</source>
      <translation>摄像头 {0}：{1} 不是 20 位 GB/T 28181 设备编码。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="89" />
      <source>Cameras</source>
      <translation>摄像头</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="216" />
      <source>Cameras could not be read: {0}</source>
      <translation>无法读取摄像头：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="225" />
      <source>Cameras imported</source>
      <translation>导入的摄像机数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="212" />
      <source>Cameras offline, faulty or obstructed (click to zoom)</source>
      <translation>离线、故障或被遮挡的摄像机（单击缩放）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="142" />
      <source>Cameras that see this place</source>
      <translation>可看到此处的摄像头</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="204" />
      <source>Cameras this close to a building are mounted on its facade (m)</source>
      <translation>距建筑在此距离内的摄像头视为安装在其外立面上（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="204" />
      <source>Cameras: {0}</source>
      <translation>摄像头：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="174" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="158" />
      <source>Canceled.</source>
      <translation>已取消。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/task_progress.py" line="56" />
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="688" />
      <source>Candidate mount points</source>
      <translation>候选安装点</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="135" />
      <source>Cannot connect to '{0}': {1}</source>
      <translation>无法连接到“{0}”：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="139" />
      <source>Cannot connect: {0}</source>
      <translation>无法连接：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/plans.py" line="198" />
      <source>Cannot open the GeoPackage {0}.</source>
      <translation>无法打开 GeoPackage {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="249" />
      <source>Cannot read {0}: {1}</source>
      <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="637" />
      <source>Cannot use the database ({0}); showing the events layer read-only.</source>
      <translation>无法使用数据库（{0}）；以只读方式显示事件图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="794" />
      <source>Case updated.</source>
      <translation>案件已更新。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="487" />
      <source>Cases from</source>
      <translation>案件来源</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="478" />
      <source>Cases overdue</source>
      <translation>超期案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="201" />
      <source>Cases reported</source>
      <translation>上报案件数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="161" />
      <source>Categories (codes, comma-separated; empty = all)</source>
      <translation>类别（编码，逗号分隔；为空表示全部）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="74" />
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="187" />
      <source>Category field (default: category_code)</source>
      <translation>类别字段（默认：category_code）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="149" />
      <source>Cell size of the regular grid (metres)</source>
      <translation>规则网格的单元格大小（米）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_tool.py" line="352" />
      <source>Change camera field of view</source>
      <translation>修改摄像机视场角</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="467" />
      <source>Changes plan {0} → {1}</source>
      <translation>方案变化 {0} → {1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="141" />
      <source>Check</source>
      <translation>检查</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="246" />
      <source>Check and publish…</source>
      <translation>检查并发布…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="143" />
      <source>Check grids</source>
      <translation>检查网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="339" />
      <source>Checking grids</source>
      <translation>检查网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="326" />
      <source>Checking grids...</source>
      <translation>正在检查网格...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="548" />
      <source>Checking plan {0} before publishing</source>
      <translation>发布前检查方案 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="523" />
      <source>Checking plan {0} before publishing…</source>
      <translation>正在发布前检查方案 {0}…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="167" />
      <source>Checks a grid layer and lists one feature per problem, placed where the problem is: invalid geometry, overlap between grids, gap (part of a community not covered, or without communities a hole enclosed by grids), grid outside its community, multipart grid, duplicate code, code not following the rule county 6 + street 3 + community 3 + grid 3 digits. Areas under 0.01 m² are ignored. The input is not changed.</source>
      <translation>检查网格图层，并在问题所在位置为每个问题输出一个要素：无效几何、网格之间重叠、缝隙（社区中未被覆盖的部分；无社区时为网格围合的空洞）、网格超出所属社区、多部件网格、编码重复、编码不符合“区县 6 位 + 街道 3 位 + 社区 3 位 + 网格 3 位”规则。面积小于 0.01 m² 的区域将被忽略。输入图层不会被修改。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="254" />
      <source>Checks the draft with the grid check, then asks before publishing it.</source>
      <translation>先用网格检查核验草稿，再经确认后发布。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="101" />
      <source>Choose a database connection.</source>
      <translation>请选择数据库连接。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="324" />
      <source>Choose a grid layer first.</source>
      <translation>请先选择网格图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="471" />
      <source>Choose the area to watch first.</source>
      <translation>请先选择监控区域。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="309" />
      <source>Choose the camera layer and the area to watch first.</source>
      <translation>请先选择摄像机图层和监控区域。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="399" />
      <source>Choose the camera layer first.</source>
      <translation>请先选择摄像机图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="253" />
      <source>Choose the community layer and a community first.</source>
      <translation>请先选择社区图层和一个社区。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="991" />
      <source>Choose the events layer first.</source>
      <translation>请先选择事件图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="115" />
      <source>Choose the grid and building layers first.</source>
      <translation>请先选择网格图层和建筑图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="420" />
      <source>Choose “A community” under “Compute for” first.</source>
      <translation>请先在“计算范围”中选择“某个社区”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="722" />
      <source>Choose “Between…” to set the dates.</source>
      <translation>选择“介于…”后才能设置日期。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="48" />
      <source>Citizen photo report</source>
      <translation>随手拍</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="23" />
      <source>City</source>
      <translation>城市</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="197" />
      <source>Click points of a line across a grid (snapping on); right click or Enter splits it.</source>
      <translation>单击绘制穿过网格的线（可捕捉），右键单击或按回车完成拆分。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="191" />
      <source>Click to place a camera, drag to aim it, shift+drag or the wheel to change its field of view; the occluded view redraws live.</source>
      <translation>单击布设摄像机，拖动调整朝向，Shift+拖动或滚轮调整视场角；被遮挡的视场实时重绘。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="583" />
      <source>Click to place a camera, drag to aim it; shift+drag or the wheel widens it; Esc releases it.</source>
      <translation>单击布设摄像机，拖动调整朝向；Shift+拖动或滚轮调整视场角；按 Esc 释放。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="87" />
      <source>Close case</source>
      <translation>结案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="69" />
      <source>Closed</source>
      <translation>已结案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="48" />
      <source>Code</source>
      <translation>代码</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="463" />
      <source>Code field of the departmental layers</source>
      <translation>部门图层的编码字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="825" />
      <source>Coded grids</source>
      <translation>已编码网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="158" />
      <source>Codes…</source>
      <translation>编码…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="282" />
      <source>Cold spot 90%</source>
      <translation>冷点 90%</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="283" />
      <source>Cold spot 95%</source>
      <translation>冷点 95%</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="284" />
      <source>Cold spot 99%</source>
      <translation>冷点 99%</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="119" />
      <source>Communities</source>
      <translation>社区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="178" />
      <source>Communities (parents)</source>
      <translation>社区（上级）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="806" />
      <source>Communities (when grids lack a community code)</source>
      <translation>社区（网格缺少社区编码时使用）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="26" />
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="186" />
      <source>Community code field</source>
      <translation>社区编码字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="349" />
      <source>Community code field of the grids</source>
      <translation>网格的社区编码字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="99" />
      <source>Community layer</source>
      <translation>社区图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="226" />
      <source>Community mean {0:.0f} households; {1} grid(s) outside ±{2:.0f} %, {3} not in one piece. Refreshed in {4:.0f} ms.</source>
      <translation>社区平均 {0:.0f} 户；{1} 个网格超出 ±{2:.0f} %，{3} 个不连片。刷新用时 {4:.0f} 毫秒。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="774" />
      <source>Community {0} ({1}): {2}</source>
      <translation>社区 {0}（{1}）：{2}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/gridcodes.py" line="181" />
      <source>Community {0} has more than 999 grids.</source>
      <translation>社区 {0} 的网格超过 999 个。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/edits.py" line="214" />
      <source>Community {0} has no free grid serial left (001-999).</source>
      <translation>社区 {0} 已没有可用的网格序号（001-999）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="739" />
      <source>Community {0} has no geometry: skipped.</source>
      <translation>社区 {0} 没有几何：已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="754" />
      <source>Community {0}: {1}</source>
      <translation>社区 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="44" />
      <source>Component</source>
      <translation>部件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="97" />
      <source>Compute for</source>
      <translation>计算范围</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="272" />
      <source>Computing Gi* with {0} permutations...</source>
      <translation>正在以 {0} 次置换计算 Gi*...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="342" />
      <source>Computing coverage...</source>
      <translation>正在计算覆盖...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1005" />
      <source>Computing the kernel density in the background…</source>
      <translation>正在后台计算核密度…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="414" />
      <source>Computing {0}...</source>
      <translation>正在计算{0}...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="147" />
      <source>Connected to {0} as {1}.</source>
      <translation>已连接到 {0}，用户 {1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="961" />
      <source>Connecting</source>
      <translation>正在连接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="303" />
      <source>Connecting…</source>
      <translation>正在连接…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/live.py" line="184" />
      <source>Connection lost ({0}); reconnecting in {1:.1f} s.</source>
      <translation>连接已断开（{0}）；将在 {1:.1f} s 后重新连接。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="373" />
      <source>Connection lost, reconnecting…</source>
      <translation>连接已断开，正在重新连接…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="87" />
      <source>Coordinates of the device list</source>
      <translation>设备清单的坐标系</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="43" />
      <source>Corrected</source>
      <translation>已更正</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="369" />
      <source>Could not read the board: {0}</source>
      <translation>无法读取督办看板：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="753" />
      <source>Could not read the cases: {0}</source>
      <translation>无法读取案件：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="123" />
      <source>Could not read the lists of categories and departments: {0}</source>
      <translation>无法读取类别和部门列表：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="169" />
      <source>Could not read the responsibility list: {0}</source>
      <translation>无法读取权责清单：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="342" />
      <source>Could not save the responsibility list: {0}</source>
      <translation>无法保存权责清单：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="112" />
      <source>Count ground as seen only where the image is this detailed (cameras need a resolution field). DORI (IEC 62676-4): detect a person at 25 pixels per metre, observe at 62.5, recognise a known face at 125, identify a stranger at 250.</source>
      <translation>只有画面达到此清晰度的地面才算看得见（摄像机需有分辨率字段）。DORI（IEC 62676-4）：每米 25 像素可发现有人，62.5 可观察行为，125 可辨认熟人，250 可识别陌生人。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="217" />
      <source>Count ground only up to this DORI level (needs the resolution field)</source>
      <translation>仅统计达到此 DORI 等级的地面范围（需要分辨率字段）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="122" />
      <source>Counts events per cell - the given grid polygons, or a regular square grid of CELL_SIZE metres over the events' extent - optionally only those in a time window and of some categories, and classes every cell by the Getis-Ord Gi* statistic (PySAL esda) with permutation inference: hot or cold at 99, 95 or 90 % confidence, or not significant. gi_z is the Gi* z-score, gi_p the two-sided permutation p-value. Neighbours are cells sharing a border or corner (queen contiguity, with a 1 m tolerance for digitising gaps); rook contiguity or a distance band can be chosen. With FDR, the Benjamini-Hochberg false discovery rate correction is applied per confidence level (use more permutations then). The first run in a QGIS session compiles the statistics code (about 20 s).</source>
      <translation>按单元格统计事件数（单元格为给定的网格面，或在事件范围上按 CELL_SIZE 米生成的规则方形格网），可选择仅统计某一时间窗口内及某些类别的事件，并用 Getis-Ord Gi* 统计量（PySAL esda）结合置换检验对每个单元格进行分类：置信度 99%、95% 或 90% 的热点或冷点，或不显著。gi_z 为 Gi* z 得分，gi_p 为双侧置换检验 p 值。相邻单元格指共享边或角点的单元格（后式（Queen）邻接，对数字化缝隙有 1 m 容差）；也可选择车式（Rook）邻接或距离阈值。选择 FDR 时，按各置信水平应用 Benjamini-Hochberg 错误发现率校正（此时请使用更多置换次数）。每个 QGIS 会话中首次运行时会编译统计代码（约 20 s）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="793" />
      <source>County code (6 digits, GB/T 2260)</source>
      <translation>区县编码（6 位，GB/T 2260）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="480" />
      <source>Coverage</source>
      <translation>覆盖范围</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="354" />
      <source>Coverage by grid</source>
      <translation>各网格覆盖率</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="378" />
      <source>Coverage done.</source>
      <translation>覆盖计算完成。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="371" />
      <source>Coverage done: {0:.1%} of the area seen, {1} blind spots.</source>
      <translation>覆盖计算完成：可见 {0:.1%} 的区域，{1} 处盲区。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="350" />
      <source>Coverage failed; see the log.</source>
      <translation>覆盖计算失败；请查看日志。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="343" />
      <source>Coverage is being computed; cancel it below.</source>
      <translation>正在计算覆盖，可在下方取消。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="487" />
      <source>Coverage per grid</source>
      <translation>各网格覆盖情况</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="493" />
      <source>Coverage ratio</source>
      <translation>覆盖率</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="350" />
      <source>Coverage was cancelled.</source>
      <translation>覆盖计算已取消。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="492" />
      <source>Covered area (m2)</source>
      <translation>覆盖面积（m2）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="624" />
      <source>Covered {0:.0f} of {1:.0f} m2 ({2:.1%}); {3} blind spots.</source>
      <translation>已覆盖 {0:.0f} / {1:.0f} m2（{2:.1%}）；盲区 {3} 处。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="34" />
      <source>Creates the gridgov schema in a PostGIS database, or upgrades it, by applying the plugin's numbered migrations that are not yet applied. Running it again on an up-to-date database changes nothing. The connection is a QGIS PostgreSQL connection (its credentials stay in QGIS's authentication database or a pg_service file) or 'service=NAME'.</source>
      <translation>在 PostGIS 数据库中创建 gridgov 模式，或通过应用插件尚未应用的编号迁移来升级该模式。对已是最新版本的数据库再次运行不会做任何更改。连接可以是 QGIS PostgreSQL 连接（其凭据保存在 QGIS 认证数据库或 pg_service 文件中），也可以是 'service=NAME'。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="62" />
      <source>Current map view</source>
      <translation>当前地图视图</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="136" />
      <source>DORI bands</source>
      <translation>DORI 分区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="113" />
      <source>Database connection</source>
      <translation>数据库连接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="221" />
      <source>Date: {0}</source>
      <translation>制图日期：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="78" />
      <source>Deadline</source>
      <translation>时限</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="45" />
      <source>Defaulted or converted</source>
      <translation>已用默认值或已换算</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="106" />
      <source>Delete row</source>
      <translation>删除行</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="91" />
      <source>Demo district</source>
      <translation>示例城区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="600" />
      <source>Density raster</source>
      <translation>密度栅格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1011" />
      <source>Density raster added.</source>
      <translation>已添加密度栅格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="52" />
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="443" />
      <source>Departmental grid layers</source>
      <translation>部门网格图层</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="279" />
      <source>Departmental grids</source>
      <translation>部门网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="84" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="118" />
      <source>Detail needed</source>
      <translation>所需细节等级</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="203" />
      <source>Detect</source>
      <translation>探测</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="52" />
      <source>Detect (25 px/m)</source>
      <translation>探测（25 px/m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="54" />
      <source>Detect: you can tell that a person is there (25 pixels per metre).</source>
      <translation>发现：能看出有人（每米 25 像素）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="93" />
      <source>Deviation %</source>
      <translation>偏差 %</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="213" />
      <source>Device id</source>
      <translation>设备编码</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="539" />
      <source>Device id {0} already used in row {1}; row skipped.</source>
      <translation>设备编码 {0} 已在第 {1} 行使用；已跳过该行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="182" />
      <source>Device list or OpenStreetMap file (or layer source)</source>
      <translation>设备清单或 OpenStreetMap 文件（或图层数据源）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="245" />
      <source>Diff with published</source>
      <translation>与已发布方案比较</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="180" />
      <source>Direction</source>
      <translation>朝向</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="437" />
      <source>Discard the unsaved changes to the responsibility list?</source>
      <translation>放弃对权责清单未保存的修改？</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="84" />
      <source>Dispatch</source>
      <translation>派遣</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="55" />
      <source>Dispatch (h)</source>
      <translation>派遣（小时）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="66" />
      <source>Dispatched</source>
      <translation>已派遣</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="404" />
      <source>Distance (m)</source>
      <translation>距离（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="195" />
      <source>Distance band</source>
      <translation>距离阈值</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="24" />
      <source>District</source>
      <translation>区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="55" />
      <source>Draft</source>
      <translation>草稿</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="435" />
      <source>Draft plan {0} “{1}” created; show it to edit it.</source>
      <translation>已创建草稿方案 {0}“{1}”；显示后即可编辑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="203" />
      <source>Drag a boundary vertex or segment; the grids sharing it follow.</source>
      <translation>拖动边界节点或线段，共用该边界的网格同步调整。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="757" />
      <source>Draw the line across a grid.</source>
      <translation>请绘制穿过网格的线。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="627" />
      <source>Draws grids for each community: they cover it exactly, each is one piece, no building is cut, boundaries follow roads where possible and households stay within TOLERANCE % of the community mean where the buildings allow (the others are reported). Give TARGET_HOUSEHOLDS per grid (300-500 is common), or COUNT grids per community (COUNT wins when above 0). Method: road blocks, Voronoi cells of buildings in heavy blocks, recursive bisection by spanning-tree cuts.</source>
      <translation>为每个社区划分网格：网格恰好覆盖社区，每个网格连成一片，不切割任何建筑，边界尽可能沿道路走向，并在建筑条件允许时使户数保持在社区平均值的 TOLERANCE % 以内（无法满足的将予以报告）。请给出每个网格的目标户数 TARGET_HOUSEHOLDS（常见为 300-500），或每个社区的网格数 COUNT（COUNT 大于 0 时优先）。方法：按道路划分街区，在户数较多的街区内按建筑生成 Voronoi 单元，再基于生成树切分进行递归二分。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="177" />
      <source>Due</source>
      <translation>应办结</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="237" />
      <source>Due soon</source>
      <translation>即将超期</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="128" />
      <source>Due within {0} h</source>
      <translation>{0} h 内到期</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="404" />
      <source>Duplicate</source>
      <translation>重复项</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="42" />
      <source>Duplicate code</source>
      <translation>编码重复</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="587" />
      <source>Duplicates…</source>
      <translation>重复事件…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="139" />
      <source>Each field of view cut into DORI bands (IEC 62676-4) by the image's detail: identify (faces of strangers), recognise (known faces), observe (what people do), detect (that someone is there), and beyond, the full monitoring range. Needs the cameras' horizontal resolution.</source>
      <translation>按画面清晰度把每个视场分成 DORI 分区（IEC 62676-4）：识别（陌生人面部）、辨认（熟人面部）、观察（人的行为）、发现（有人），再往外是完整监视距离。需要摄像机的水平分辨率。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="183" />
      <source>Edit</source>
      <translation>编辑</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="963" />
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="44" />
      <source>Event</source>
      <translation>事件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="705" />
      <source>Event density ({0} m)</source>
      <translation>事件密度（{0} m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1079" />
      <source>Event density raster…</source>
      <translation>事件密度栅格…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1078" />
      <source>Event heatmap (last 30 days)</source>
      <translation>事件热力图（近 30 天）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="640" />
      <source>Event heatmap {0} – {1}</source>
      <translation>事件热力图 {0} – {1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="119" />
      <source>Event hot spots (Getis-Ord Gi*)</source>
      <translation>事件热点分析（Getis-Ord Gi*）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="92" />
      <source>Events</source>
      <translation>事件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="468" />
      <source>Events and cases</source>
      <translation>事件与案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="483" />
      <source>Events layer</source>
      <translation>事件图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="61" />
      <source>Everything</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="769" />
      <source>Exact optimum (weighted m2)</source>
      <translation>精确最优值（加权 m2）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="934" />
      <source>Exact optimum {0:.0f}; the suggestion reaches {1:.1%} of it.</source>
      <translation>精确最优值 {0:.0f}；建议方案达到其 {1:.1%}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="56" />
      <source>Excel device list (.xlsx)</source>
      <translation>Excel 设备清单（.xlsx）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="683" />
      <source>Existing cameras</source>
      <translation>现有摄像头</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="801" />
      <source>Existing code field</source>
      <translation>现有编码字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="219" />
      <source>Existing codes cannot be changed; add a new row instead.</source>
      <translation>已有代码不能修改；请改为添加新行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="725" />
      <source>Existing coverage includes offline, faulty and planned cameras</source>
      <translation>现有覆盖包括离线、故障和规划中的摄像头</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="425" />
      <source>Export report as PDF</source>
      <translation>将报告导出为 PDF</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="338" />
      <source>Export report as PDF…</source>
      <translation>将报告导出为 PDF…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="413" />
      <source>Export tab as CSV</source>
      <translation>将当前页导出为 CSV</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="336" />
      <source>Export tab as CSV…</source>
      <translation>将当前页导出为 CSV…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="722" />
      <source>Exporting the atlas…</source>
      <translation>正在导出图册…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="175" />
      <source>False discovery rate correction</source>
      <translation>错误发现率（FDR）校正</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="32" />
      <source>Faulty</source>
      <translation>故障</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="95" />
      <source>Feature {0} skipped: {1}</source>
      <translation>已跳过要素 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="128" />
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="130" />
      <source>Fields of view</source>
      <translation>视场</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="406" />
      <source>Fields of view failed; see the log.</source>
      <translation>视场计算失败；请查看日志。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="83" />
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="102" />
      <source>Filter</source>
      <translation>筛选</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="99" />
      <source>Filter by code, class or department…</source>
      <translation>按代码、类别或部门筛选…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="491" />
      <source>Filters</source>
      <translation>筛选条件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="188" />
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="155" />
      <source>From (reported time)</source>
      <translation>起始（上报时间）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="51" />
      <source>Full range</source>
      <translation>完整监视距离</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="53" />
      <source>Full range: ground counts as seen as far as the camera's range (its complete monitoring distance).</source>
      <translation>完整监视距离：摄像机视距内的地面都算看得见。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="59" />
      <source>GCJ-02 (AMap, Tencent)</source>
      <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="770" />
      <source>Gain / optimum</source>
      <translation>增益/最优值</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="39" />
      <source>Gap</source>
      <translation>缝隙</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="73" />
      <source>Generate demo city</source>
      <translation>生成示例城市</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="114" />
      <source>Generating the city (seed {0}, scale {1})...</source>
      <translation>正在生成城市（随机种子 {0}，规模 {1}）...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="98" />
      <source>GeoPackage</source>
      <translation>GeoPackage</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="98" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="559" />
      <source>GeoReport v2 endpoint URL</source>
      <translation>GeoReport v2 端点 URL</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="691" />
      <source>Give TARGET_HOUSEHOLDS above 0 or COUNT above 0.</source>
      <translation>请将 TARGET_HOUSEHOLDS 或 COUNT 设为大于 0 的值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="442" />
      <source>Give a target number of households per grid or a number of grids.</source>
      <translation>请给出每个网格的目标户数或网格数量。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="491" />
      <source>Give at least one departmental grid layer.</source>
      <translation>请至少提供一个部门网格图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="862" />
      <source>Give the grids' community code field or a community layer.</source>
      <translation>请提供网格的社区编码字段或社区图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="598" />
      <source>Give the start of the import period.</source>
      <translation>请给出导入时段的开始时间。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="195" />
      <source>Giving up after {0} attempts: {1}</source>
      <translation>尝试 {0} 次后放弃：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="27" />
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="81" />
      <source>Grid / community / street</source>
      <translation>网格/社区/街道</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="393" />
      <source>Grid atlas</source>
      <translation>网格图册</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="361" />
      <source>Grid atlas PDF</source>
      <translation>网格图册 PDF</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="182" />
      <source>Grid code field</source>
      <translation>网格编码字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="556" />
      <source>Grid feature {0} has an invalid geometry; it was repaired.</source>
      <translation>网格要素 {0} 的几何无效；已修复。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="394" />
      <source>Grid governance</source>
      <translation>网格治理</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/provider.py" line="29" />
      <source>Grid governance (urban grid management)</source>
      <translation>网格治理（城市网格化管理）</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="254" />
      <source>Grid governance demo district</source>
      <translation>网格治理示范区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="121" />
      <source>Grid governance plugin loaded.</source>
      <translation>网格治理插件已加载。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="60" />
      <source>Grid governance settings</source>
      <translation>网格治理设置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="461" />
      <source>Grid id field</source>
      <translation>网格 ID 字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="117" />
      <source>Grid of this sheet</source>
      <translation>网格（本页）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="421" />
      <source>Grid plan {0}</source>
      <translation>{0} 网格方案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="103" />
      <source>Grid planning</source>
      <translation>网格规划</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="141" />
      <source>Grid polygons (leave empty for a regular grid)</source>
      <translation>网格面（留空则使用规则格网）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="332" />
      <source>Grid problems</source>
      <translation>网格问题</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="300" />
      <source>Grid statistics</source>
      <translation>网格统计</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="80" />
      <source>Grid worker</source>
      <translation>网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/workers.py" line="44" />
      <source>Grid worker '{0}' is not active.</source>
      <translation>网格员“{0}”未在岗。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="46" />
      <source>Grid worker app</source>
      <translation>网格员 App</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="197" />
      <source>Grid worker assessment</source>
      <translation>网格员考核</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="190" />
      <source>Grid worker: {0}</source>
      <translation>网格员：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="339" />
      <source>Grid workers</source>
      <translation>网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="249" />
      <source>Grid workers assessed</source>
      <translation>参与考核的网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="353" />
      <source>Grid workload</source>
      <translation>网格工作量</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="358" />
      <source>Grid workload statistics</source>
      <translation>网格工作量统计</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="178" />
      <source>Grid {0}</source>
      <translation>网格 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/workers.py" line="115" />
      <source>Grid {0} could not be changed.</source>
      <translation>无法修改网格 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="334" />
      <source>Grid {0} could not be deleted.</source>
      <translation>无法删除网格 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="88" />
      <source>Grid {0} does not exist.</source>
      <translation>网格 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="134" />
      <source>Grid {0} has an invalid geometry: {1}.</source>
      <translation>网格 {0} 的几何无效：{1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="121" />
      <source>Grid {0} has no geometry.</source>
      <translation>网格 {0} 没有几何。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="560" />
      <source>Grid {0} has {1} households, {2}% from the mean {3}: {4}</source>
      <translation>网格 {0} 有 {1} 户，与平均值 {3} 相差 {2}%：{4}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="153" />
      <source>Grid {0} has {1} separate parts; a grid must be one piece.</source>
      <translation>网格 {0} 由 {1} 个分离部分组成；网格必须连成一片。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="539" />
      <source>Grid {0} is in {1} pieces: the community is not connected there.</source>
      <translation>网格 {0} 分为 {1} 块：社区在此处不连通。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="272" />
      <source>Grid {0} lies outside every community.</source>
      <translation>网格 {0} 不在任何社区内。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="274" />
      <source>Grid {0} reaches {1} m² outside its community {2}.</source>
      <translation>网格 {0} 有 {1} m² 超出其所属社区 {2}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/edits.py" line="137" />
      <source>Grid {0} would be invalid; edit refused.</source>
      <translation>网格 {0} 将变为无效几何，已拒绝此次编辑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/edits.py" line="135" />
      <source>Grid {0} would be left with no ground; edit refused.</source>
      <translation>网格 {0} 将没有任何面积，已拒绝此次编辑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/edits.py" line="139" />
      <source>Grid {0} would fall apart into several pieces; edit refused.</source>
      <translation>网格 {0} 将分裂成多块，已拒绝此次编辑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="464" />
      <source>Grid {0} would fall apart into several pieces; move refused.</source>
      <translation>网格 {0} 将被分割成多块，拒绝划转。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="249" />
      <source>Grid {0}: {1}</source>
      <translation>网格 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="92" />
      <source>Grids</source>
      <translation>网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="274" />
      <source>Grids without a worker</source>
      <translation>无网格员的网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="185" />
      <source>Grids {0} and {1} overlap by {2} m².</source>
      <translation>网格 {0} 与 {1} 重叠 {2} m²。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="316" />
      <source>Grids {0} belong to different communities and cannot be merged.</source>
      <translation>网格 {0} 属于不同社区，不能合并。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="326" />
      <source>Grids {0} do not form one contiguous area; merge refused.</source>
      <translation>网格 {0} 不相连，拒绝合并。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="169" />
      <source>Ground near the cases of the last 12 months in the chosen area counts more, so new cameras go where incidents happen. Untick to weigh all unseen ground alike.</source>
      <translation>所选范围内近 12 个月案件附近的地面权重更高，新增摄像机会优先布设在事件多发处。取消勾选则所有未覆盖地面同等对待。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="56" />
      <source>Handle (h)</source>
      <translation>处置（小时）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="67" />
      <source>Handled</source>
      <translation>已处置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="204" />
      <source>Handled on time</source>
      <translation>按时处置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="176" />
      <source>Handled on time by {0}</source>
      <translation>各{0}按时处置情况</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="247" />
      <source>Handled on time in the period</source>
      <translation>本期按时处置率</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="203" />
      <source>Handling due</source>
      <translation>应处置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="598" />
      <source>Heatmap</source>
      <translation>热力图</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="135" />
      <source>History</source>
      <translation>历史记录</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="157" />
      <source>Horizontal field of view field (degrees)</source>
      <translation>水平视场角字段（度）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="201" />
      <source>Horizontal field of view where missing (degrees)</source>
      <translation>缺失时的水平视场角（度）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="162" />
      <source>Horizontal resolution field (pixels)</source>
      <translation>水平分辨率字段（像素）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="280" />
      <source>Hot spot 90%</source>
      <translation>热点 90%</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="279" />
      <source>Hot spot 95%</source>
      <translation>热点 95%</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="278" />
      <source>Hot spot 99%</source>
      <translation>热点 99%</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="352" />
      <source>Hot spot analysis needs at least 3 cells, got {0}.</source>
      <translation>热点分析至少需要 3 个单元格，当前为 {0} 个。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="210" />
      <source>Hot spots</source>
      <translation>热点</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="302" />
      <source>Hotspots</source>
      <translation>事件热点</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="154" />
      <source>Hours overdue</source>
      <translation>超期小时数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="89" />
      <source>Households</source>
      <translation>户数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="317" />
      <source>Households field</source>
      <translation>户数字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="198" />
      <source>Households: {0}</source>
      <translation>户数：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="206" />
      <source>Identify</source>
      <translation>辨认</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="55" />
      <source>Identify (250 px/m)</source>
      <translation>辨认（250 px/m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="57" />
      <source>Identify: you can identify a stranger beyond doubt (250 pixels per metre).</source>
      <translation>识别：能确认陌生人的身份（每米 250 像素）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="544" />
      <source>Import Open311 service requests</source>
      <translation>导入 Open311 服务请求</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="81" />
      <source>Import cameras</source>
      <translation>导入摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="197" />
      <source>Import cameras…</source>
      <translation>导入摄像机…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="543" />
      <source>Import failed: {0}</source>
      <translation>导入失败：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="222" />
      <source>Import report</source>
      <translation>导入报告</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="186" />
      <source>Import {0} cameras</source>
      <translation>导入 {0} 台摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="219" />
      <source>Imported cameras</source>
      <translation>导入的摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="246" />
      <source>Imported cameras ({0})</source>
      <translation>导入的摄像机（{0}）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="547" />
      <source>Imports the service requests of an Open311 GeoReport v2 server (ENDPOINT, e.g. https://host/open311/v2/) requested between START and END into the events store through gridgov.report_event, with source 'open311:&lt;host&gt;' and the service_request_id as external id, so running it again adds nothing twice. Requests are fetched in windows of at most 90 days, page by page, with retries on server errors. SERVICE_MAP maps service codes to event categories: a JSON object or 'service_code=category' lines; '*' maps every other code; codes that already are category codes map to themselves. Requests that cannot be taken (unknown service code, no coordinates, bad date, refused by the database) are listed in the REPORT table.</source>
      <translation>将 Open311 GeoReport v2 服务器（ENDPOINT，例如 https://host/open311/v2/）上在 START 与 END 之间提交的服务请求，通过 gridgov.report_event 导入事件库，来源记为 'open311:&lt;host&gt;'，并以 service_request_id 作为外部 ID，因此再次运行不会重复导入。请求按每个窗口最长 90 天分段、逐页获取，服务器出错时会重试。SERVICE_MAP 将服务代码映射到事件类别：可以是 JSON 对象，也可以是若干行 'service_code=category'；'*' 映射其他所有代码；本身已是类别编码的代码映射到自身。无法接收的请求（未知服务代码、无坐标、日期错误、被数据库拒绝）列在 REPORT 表中。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="31" />
      <source>Install or upgrade the database schema</source>
      <translation>安装或升级数据库模式</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="116" />
      <source>Install or upgrade the database schema…</source>
      <translation>安装或升级数据库模式…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="37" />
      <source>Invalid geometry</source>
      <translation>几何无效</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="404" />
      <source>Keep (earlier)</source>
      <translation>保留（较早）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="49" />
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="459" />
      <source>Last 24 hours</source>
      <translation>最近 24 小时</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="461" />
      <source>Last 30 days</source>
      <translation>最近 30 天</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="460" />
      <source>Last 7 days</source>
      <translation>最近 7 天</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="177" />
      <source>Late</source>
      <translation>超时</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="232" />
      <source>Layer {0}: {1}</source>
      <translation>图层 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="274" />
      <source>Legend</source>
      <translation>图例</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="53" />
      <source>Level</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="656" />
      <source>Licence plate (ALPR) camera imported as a camera.</source>
      <translation>车牌识别（ALPR）摄像机按摄像机导入。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="960" />
      <source>Live</source>
      <translation>实时</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="80" />
      <source>Live balance is off.</source>
      <translation>实时均衡已关闭。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="132" />
      <source>Live balance on {0} grid(s), ready in {1} ms. Edit the grids to see figures.</source>
      <translation>实时均衡覆盖 {0} 个网格，{1} 毫秒就绪。编辑网格即可查看指标。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="282" />
      <source>Live events</source>
      <translation>实时事件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1077" />
      <source>Live events layer</source>
      <translation>实时事件图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="593" />
      <source>Live layer</source>
      <translation>实时图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="964" />
      <source>Live layer off</source>
      <translation>实时图层已关闭</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="271" />
      <source>Load workers</source>
      <translation>载入网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="514" />
      <source>Longitude and latitude look swapped (China); swapped back.</source>
      <translation>经纬度疑似颠倒（中国范围）；已调换回来。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="519" />
      <source>Longitude {0} / latitude {1} are not degrees (projected coordinates?); row skipped.</source>
      <translation>经度 {0} / 纬度 {1} 不是度数（投影坐标？）；已跳过该行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="506" />
      <source>Longitude/latitude '{0}', '{1}' are not numbers; row skipped.</source>
      <translation>经度/纬度“{0}”、“{1}”不是数字；已跳过该行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="518" />
      <source>Looking for camera positions...</source>
      <translation>正在寻找摄像机点位...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="490" />
      <source>Looking for camera positions; cancel below.</source>
      <translation>正在寻找摄像机点位，可在下方取消。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="50" />
      <source>Major class</source>
      <translation>大类</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="85" />
      <source>Mark handled</source>
      <translation>标记为已处置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="404" />
      <source>Merge</source>
      <translation>合并</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="409" />
      <source>Merge checked</source>
      <translation>合并已勾选项</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="330" />
      <source>Merge grids {0}</source>
      <translation>合并网格 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="474" />
      <source>Merge pieces covering less than this share of their grid in every department (%)</source>
      <translation>合并在各部门中均不足其所属网格此比例的碎块（%）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="908" />
      <source>Merge selected grids</source>
      <translation>合并所选网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="152" />
      <source>Message</source>
      <translation>说明</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="47" />
      <source>Migrations applied</source>
      <translation>已应用的迁移</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="51" />
      <source>Minor class</source>
      <translation>小类</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="128" />
      <source>Most overdue (h)</source>
      <translation>最长超期（h）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="240" />
      <source>Most overdue cases in</source>
      <translation>超期案件最多</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="180" />
      <source>Mount</source>
      <translation>安装位置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="159" />
      <source>Mount height field (m)</source>
      <translation>安装高度字段（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="203" />
      <source>Mount height where missing (m)</source>
      <translation>缺失时的安装高度（米）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="201" />
      <source>Move boundary</source>
      <translation>移动边界</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="384" />
      <source>Move grid boundary</source>
      <translation>移动网格边界</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="477" />
      <source>Move {0} building(s) from grid {1} to grid {2}</source>
      <translation>将 {0} 栋建筑从网格 {1} 划入网格 {2}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="453" />
      <source>Moving every building would leave grid {0} empty; merge the grids instead.</source>
      <translation>划走全部建筑会使网格 {0} 变空；请改为合并网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="367" />
      <source>Moving this boundary would make grid {0} invalid; refused.</source>
      <translation>移动该边界会使网格 {0} 无效，已拒绝。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="378" />
      <source>Moving this boundary would make grid {0} overlap grid {1}; refused.</source>
      <translation>移动该边界会使网格 {0} 与网格 {1} 重叠，已拒绝。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="41" />
      <source>Multipart grid</source>
      <translation>多部件网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="213" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="420" />
      <source>Name of the new plan (kept when it is published):</source>
      <translation>新方案名称（发布后沿用）：</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="673" />
      <source>Needs the PostGIS connection: choose it in Grid governance › Settings….</source>
      <translation>需要 PostGIS 连接：请在“网格治理 › 设置…”中选择。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="194" />
      <source>Neighbours</source>
      <translation>邻接关系</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_tool.py" line="439" />
      <source>New</source>
      <translation>新</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="180" />
      <source>New coverage (m²)</source>
      <translation>新增覆盖（平方米）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="419" />
      <source>New draft plan</source>
      <translation>新建草稿方案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="244" />
      <source>New draft…</source>
      <translation>新建草稿…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="582" />
      <source>New events</source>
      <translation>新事件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="642" />
      <source>No PostGIS connection and no events layer.</source>
      <translation>没有 PostGIS 连接，也没有事件图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="404" />
      <source>No azimuth: the analyses treat the camera as all-round (360 degrees).</source>
      <translation>无方位角：分析将该摄像机视为全向（360 度）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="430" />
      <source>No building to move.</source>
      <translation>没有要划转的建筑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="879" />
      <source>No camera adds coverage; nothing suggested.</source>
      <translation>没有摄像头能增加覆盖；无建议。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="526" />
      <source>No camera counts toward coverage: the whole target is blind.</source>
      <translation>没有摄像头计入覆盖：整个目标区域均为盲区。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="230" />
      <source>No camera sees this place.</source>
      <translation>没有摄像头能看到此处。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="249" />
      <source>No camera store layer in the project: the cameras are in the temporary layer {0}. Save it, or add the store's camera layer and import again.</source>
      <translation>工程中没有摄像机库图层：摄像机暂存在临时图层 {0} 中。请保存该图层，或添加库中的摄像机图层后重新导入。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="96" />
      <source>No case selected</source>
      <translation>未选择案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="825" />
      <source>No common step for the selection</source>
      <translation>所选案件没有共同的可执行步骤</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="590" />
      <source>No converter for {0}; coordinates used as WGS84.</source>
      <translation>没有 {0} 的转换器；坐标按 WGS84 使用。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="62" />
      <source>No database: GeoPackage only</source>
      <translation>无数据库：仅 GeoPackage</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="134" />
      <source>No database: the plugin works on GeoPackage layers, read-only for cases.</source>
      <translation>无数据库：插件使用 GeoPackage 图层，案件只读。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="432" />
      <source>No draft was created: {0}</source>
      <translation>未创建草稿：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1003" />
      <source>No events in the time window.</source>
      <translation>时间窗口内没有事件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/device_ids.py" line="60" />
      <source>No free device serial left under {0}.</source>
      <translation>{0} 下已没有可用的设备序号。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="258" />
      <source>No further step: the case is {0}.</source>
      <translation>没有后续步骤：案件状态为“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="216" />
      <source>No grid code field: the code checks are skipped.</source>
      <translation>没有网格编码字段：跳过编码检查。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="636" />
      <source>No grid worker list found: add the store's grid_worker table to the project, or choose the store's grid layer (GeoPackage or PostGIS) as the grid layer.</source>
      <translation>找不到网格员名单：请把库中的 grid_worker 表加入工程，或选择库中的网格图层（GeoPackage 或 PostGIS）作为网格图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="477" />
      <source>No header row with longitude and latitude columns (经度/纬度, lon/lat) in the first 10 rows; nothing imported.</source>
      <translation>前 10 行中没有包含经度、纬度列（经度/纬度, lon/lat）的表头行；未导入任何数据。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="236" />
      <source>No input given.</source>
      <translation>未提供输入。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="510" />
      <source>No longitude or latitude; row skipped.</source>
      <translation>缺少经度或纬度；已跳过该行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="60" />
      <source>No photo</source>
      <translation>无照片</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="681" />
      <source>No road path between these points; the segment is straight.</source>
      <translation>这两点之间没有道路路径；该段按直线绘制。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="637" />
      <source>Node without a position; skipped.</source>
      <translation>节点没有位置；已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="43" />
      <source>Non-standard code</source>
      <translation>编码不规范</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="293" />
      <source>None of the {0} cameras could be used.</source>
      <translation>{0} 个摄像头均无法使用。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="317" />
      <source>Not a service request object: {0}</source>
      <translation>不是服务请求对象：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="584" />
      <source>Not imported</source>
      <translation>未导入</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="378" />
      <source>Not saved: {0} problem(s). Correct them and save again.</source>
      <translation>未保存：有 {0} 个问题，请更正后再保存。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="281" />
      <source>Not significant</source>
      <translation>不显著</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="44" />
      <source>Not used / to check</source>
      <translation>未采用/请核对</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="138" />
      <source>Note</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="42" />
      <source>Note (recorded in the case history):</source>
      <translation>备注（将记入案件历史）：</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/report_pdf.py" line="259" />
      <source>Nothing to report.</source>
      <translation>没有可报告的内容。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="269" />
      <source>Nothing to split.</source>
      <translation>没有可拆分的对象。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="158" />
      <source>Number</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="494" />
      <source>Number of blind spots</source>
      <translation>盲区数量</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="719" />
      <source>Number of cameras to suggest</source>
      <translation>建议的摄像头数量</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="670" />
      <source>Number of grids per community (0: use target)</source>
      <translation>每个社区的网格数（0：使用目标户数）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="188" />
      <source>OVERDUE</source>
      <translation>超期</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="204" />
      <source>Observe</source>
      <translation>观察</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="53" />
      <source>Observe (62.5 px/m)</source>
      <translation>观察（62.5 px/m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="55" />
      <source>Observe: you can see what a person is doing (62.5 pixels per metre).</source>
      <translation>观察：能看清人在做什么（每米 62.5 像素）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="300" />
      <source>Obstacle</source>
      <translation>遮挡物</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="302" />
      <source>Obstacle feature {0} could not be transformed: {1}</source>
      <translation>遮挡物要素 {0} 无法转换：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="306" />
      <source>Obstacle feature {0} has an invalid geometry; it was repaired.</source>
      <translation>遮挡物要素 {0} 的几何无效；已修复。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="90" />
      <source>Obstacles</source>
      <translation>障碍物</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="349" />
      <source>Obstacles (building footprints)</source>
      <translation>遮挡物（建筑基底）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="33" />
      <source>Obstructed</source>
      <translation>被遮挡</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="31" />
      <source>Offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="177" />
      <source>On time</source>
      <translation>按时</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="177" />
      <source>On-time rate</source>
      <translation>按时率</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="94" />
      <source>One piece</source>
      <translation>连片</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="328" />
      <source>One polygon per camera: the ground it sees, from its azimuth, horizontal field of view, range, mount height, tilt and vertical field of view, hidden behind building footprints (OBSTACLES). A camera within the facade tolerance of a building is taken as mounted on its facade: sight starts at the wall. A camera deep inside a building sees nothing and is reported. Missing values take the defaults; cameras without azimuth are treated as all-round. With DORI bands the view is cut into the IEC 62676-4 identify/recognise/observe/detect zones (needs the resolution field).</source>
      <translation>每个摄像头输出一个面：根据其方位角、水平视场角、监视距离、安装高度、俯仰角和垂直视场角计算其可视地面范围，并扣除被建筑基底（OBSTACLES）遮挡的部分。与建筑距离在外立面容差以内的摄像头视为安装在该建筑外立面上：视线从墙面开始。深处建筑内部的摄像头没有可视范围，并会予以报告。缺失的值取默认值；无方位角的摄像头按全景处理。启用 DORI 分带时，可视范围按 IEC 62676-4 划分为辨认/识别/观察/探测区域（需要分辨率字段）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="30" />
      <source>Online</source>
      <translation>在线</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="712" />
      <source>Only inside this area (a community, grids...): target, mount points and weights</source>
      <translation>仅限此范围（社区、网格等）：监控区域、安装点和权重</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="529" />
      <source>Only {0} grids instead of {1}: there are not enough blocks and buildings to split.</source>
      <translation>只划分出 {0} 个网格而不是 {1} 个：街区和建筑不足以继续分割。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="508" />
      <source>Open (not closed or void)</source>
      <translation>办理中（未结案或作废）</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="277" />
      <source>Open cases</source>
      <translation>在办案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="457" />
      <source>Open cases (reported, registered, dispatched, handled or verified) past their current step's deadline at the time AT (default: now), or due within HORIZON hours of it, with their grid, community, street, department and hours overdue (negative: hours left). Reads the case board of the gridgov schema.</source>
      <translation>在时间点 AT（默认：当前）已超过当前环节时限，或将在其后 HORIZON 小时内到期的在办案件（已上报、已立案、已派遣、已处置或已核查），并列出其网格、社区、街道、部门和超期小时数（负数表示剩余小时数）。读取 gridgov 模式的案件看板。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="63" />
      <source>Open photo / media</source>
      <translation>打开照片/媒体</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="52" />
      <source>Open311 import</source>
      <translation>Open311 导入</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="57" />
      <source>OpenStreetMap surveillance nodes</source>
      <translation>OpenStreetMap 监控节点</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="136" />
      <source>Other grids</source>
      <translation>其他网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="130" />
      <source>Other system</source>
      <translation>其他系统</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="357" />
      <source>Output DORI bands</source>
      <translation>输出 DORI 分带</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="40" />
      <source>Outside its community</source>
      <translation>超出所属社区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="321" />
      <source>Overdue</source>
      <translation>超期</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="127" />
      <source>Overdue and soon overdue by {0}</source>
      <translation>各{0}超期及即将超期情况</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="144" />
      <source>Overdue and soon overdue cases</source>
      <translation>超期及即将超期案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="454" />
      <source>Overdue cases</source>
      <translation>超期案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="236" />
      <source>Overdue now</source>
      <translation>当前超期</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="514" />
      <source>Overdue only</source>
      <translation>仅超期</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="38" />
      <source>Overlap</source>
      <translation>重叠</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="430" />
      <source>Overlays several departmental grid layers and proposes one unified grid: pieces narrower than TOLERANCE (slivers where departments disagree), and pieces covering less than MIN_SHARE of their grid in every department, are merged into a neighbour (the one held by the same grids in most departments, then the longest border), boundaries snap to the reference lines (roads, rivers, walls). With communities, each community is covered exactly once. Also writes a table of which departmental grids each unified grid takes over (share of area) and the slivers for review.</source>
      <translation>叠加多个部门网格图层，提出一套统一网格方案：窄于 TOLERANCE 的碎块（部门之间不一致处的狭长碎片），以及在各部门中均不足其所属网格 MIN_SHARE 的碎块，合并到相邻网格（优先合并到在多数部门中属于同一网格的相邻块，其次是公共边界最长的相邻块）；边界吸附到参考线（道路、河流、围墙）。提供社区图层时，每个社区恰好被覆盖一次。同时输出一张表，列出每个统一网格接管了哪些部门网格（按面积占比），以及供复核的碎片图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="712" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/report_pdf.py" line="275" />
      <source>Page {0} of {1}</source>
      <translation>第 {0} 页，共 {1} 页</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="207" />
      <source>Paint buildings</source>
      <translation>划转建筑</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="626" />
      <source>Partition communities into grids</source>
      <translation>将社区划分为网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="156" />
      <source>Partition…</source>
      <translation>自动划分…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="94" />
      <source>Passwords are never stored by this plugin: use a QGIS authentication configuration or a pg_service name in the connection.</source>
      <translation>本插件从不保存密码：请在连接中使用 QGIS 认证配置或 pg_service 名称。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="177" />
      <source>Pending</source>
      <translation>在办</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="301" />
      <source>Per grid: households, population and buildings (a building counts for the grid holding its point on surface), events, area, Polsby-Popper compactness 4πA/P², deviation of households from the mean of the grid's community in %, and whether a worker is assigned.</source>
      <translation>按网格统计：户数、人口和建筑（建筑计入其面内点所在的网格）、事件、面积、Polsby-Popper 紧凑度 4πA/P²、户数相对于所在社区网格平均值的偏差（%），以及是否已分配网格员。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="319" />
      <source>Period</source>
      <translation>时段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="401" />
      <source>Period {0} – {1}; overdue as of {2}.</source>
      <translation>时段 {0} – {1}；超期截至 {2}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="167" />
      <source>Permutations</source>
      <translation>置换次数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="112" />
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="187" />
      <source>Place and aim cameras</source>
      <translation>布设并调整摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="236" />
      <source>Plan</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="519" />
      <source>Plan {0}</source>
      <translation>方案 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="580" />
      <source>Plan {0} could not be renamed: {1}</source>
      <translation>方案 {0} 无法重命名：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/plans.py" line="313" />
      <source>Plan {0} has no grids.</source>
      <translation>方案 {0} 没有网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="522" />
      <source>Plan {0} is being checked before publishing.</source>
      <translation>方案 {0} 正在发布前检查。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/plans.py" line="310" />
      <source>Plan {0} is {1}: only a draft can be published.</source>
      <translation>方案 {0} 的状态为 {1}：只有草稿可以发布。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="611" />
      <source>Plan {0} published: {1} grid worker(s), {2} camera(s) and {3} open event(s) re-linked.</source>
      <translation>方案 {0} 已发布：重新关联 {1} 名网格员、{2} 个摄像头和 {3} 个未结事件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="597" />
      <source>Plan {0} was not published.</source>
      <translation>方案 {0} 未发布。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="603" />
      <source>Plan {0} was not published: {1}</source>
      <translation>方案 {0} 未发布：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="558" />
      <source>Plan {0} was not published: {1}. Fix them (listed in the Check tab) and publish again.</source>
      <translation>方案 {0} 未发布：{1}。请修正这些问题（见“检查”页）后再发布。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="220" />
      <source>Plan: {0}</source>
      <translation>方案：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="34" />
      <source>Planned</source>
      <translation>规划中</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="119" />
      <source>Planned coverage (count offline, faulty and planned cameras too)</source>
      <translation>规划覆盖（离线、故障和规划中的摄像头也计入）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="233" />
      <source>Plans</source>
      <translation>方案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="365" />
      <source>Plans are stored in the GeoPackage or PostGIS grid layer; choose it as the grid layer.</source>
      <translation>方案保存在 GeoPackage 或 PostGIS 网格图层中；请将其选为网格图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1080" />
      <source>Play the last month</source>
      <translation>播放最近一个月</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="90" />
      <source>Population</source>
      <translation>人口</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="327" />
      <source>Population field</source>
      <translation>人口字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="81" />
      <source>PostGIS connection '{0}'</source>
      <translation>PostGIS 连接“{0}”</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="81" />
      <source>PostgreSQL connection</source>
      <translation>PostgreSQL 连接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="819" />
      <source>Previous grids (same code field; default: the grids themselves)</source>
      <translation>原有网格（编码字段相同；默认：网格自身）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="291" />
      <source>Printed {0}</source>
      <translation>打印于 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="152" />
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="532" />
      <source>Problems of plan {0}</source>
      <translation>方案 {0} 的问题</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="299" />
      <source>Problems of the departmental grids ({0})</source>
      <translation>部门网格（{0}）的问题</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="445" />
      <source>Publish</source>
      <translation>发布</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="568" />
      <source>Publish plan {0}</source>
      <translation>发布方案 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="582" />
      <source>Publish plan {0} “{1}”? It replaces the published plan; workers, cameras and open cases are re-linked to its grids.</source>
      <translation>发布方案 {0}“{1}”？它将取代当前已发布的方案，网格员、摄像机和在办案件将重新关联到新网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="56" />
      <source>Published</source>
      <translation>已发布</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="70" />
      <source>QGIS connection '{0}' (pg_service '{1}')</source>
      <translation>QGIS 连接“{0}”（pg_service“{1}”）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="74" />
      <source>QGIS connection '{0}' ({1})</source>
      <translation>QGIS 连接“{0}”（{1}）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="73" />
      <source>QGIS connection '{0}' ({1}, authentication configuration {2})</source>
      <translation>QGIS 连接“{0}”（{1}，认证配置 {2}）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="195" />
      <source>Queen contiguity</source>
      <translation>后式（Queen）邻接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="746" />
      <source>Radius of influence of a weight point (m)</source>
      <translation>权重点的影响半径（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="88" />
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="200" />
      <source>Random seed (empty: random)</source>
      <translation>随机种子（为空：随机）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="158" />
      <source>Range field (m)</source>
      <translation>监视距离字段（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="202" />
      <source>Range where missing (m)</source>
      <translation>缺失时的可视距离（米）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="180" />
      <source>Rank</source>
      <translation>排名</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="659" />
      <source>Read-only because {0}.</source>
      <translation>只读：{0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="93" />
      <source>Read-only: connect to the PostGIS store to act on cases.</source>
      <translation>只读：请连接 PostGIS 数据库以处理案件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="661" />
      <source>Read-only: no PostGIS connection is set, so cases are read from a layer. Choose the connection in Grid governance › Settings… to act on cases.</source>
      <translation>只读：未设置 PostGIS 连接，案件从图层读取。请在“网格治理 › 设置…”中选择连接后再办理案件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="665" />
      <source>Read-only: the PostGIS connection {0} has not been opened yet.</source>
      <translation>只读：PostGIS 连接 {0} 尚未打开。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="256" />
      <source>Reading events...</source>
      <translation>正在读取事件...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="265" />
      <source>Reading grids...</source>
      <translation>正在读取网格...</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="504" />
      <source>Reading the open cases failed: {0}</source>
      <translation>读取在办案件失败：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="162" />
      <source>Reads cameras from a CSV or Excel (.xlsx) device list, with Chinese or English column names (设备编码/国标编码, 经度, 纬度, 名称, 所属系统, 状态, 方位角, 水平视场角, 可视距离, 安装高度, 俯仰角...), or from OpenStreetMap surveillance nodes (a GeoJSON, GeoPackage or .osm file, or a point layer): camera:direction in degrees, compass letters or ranges, camera:type (dome and panning look all round), height with units, camera:tilt and camera:angle as tilt in degrees below the horizontal. Non-camera nodes (guards) are skipped. Device ids are checked as 20-digit GB/T 28181 ids. Empty values take the defaults. OUTPUT holds the cameras in EPSG:4490 with the store's camera fields; REPORT lists every row that was skipped, corrected or defaulted and why.</source>
      <translation>从 CSV 或 Excel（.xlsx）设备清单读取摄像机，列名可为中文或英文（设备编码/国标编码、经度、纬度、名称、所属系统、状态、方位角、水平视场角、可视距离、安装高度、俯仰角……），或从 OpenStreetMap 监控节点读取（GeoJSON、GeoPackage、.osm 文件或点图层）：camera:direction 可为度数、罗盘方位字母或范围，camera:type（球机和云台可全向观察），带单位的 height，camera:tilt 和 camera:angle 按向下的俯仰角（度）处理。非摄像机节点（保安等）被跳过。设备编码按 20 位 GB/T 28181 编码校验。空值取默认值。OUTPUT 为 EPSG:4490 下带有库表摄像机字段的摄像机；REPORT 列出每个被跳过、更正或取默认值的行及原因。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="273" />
      <source>Reassign</source>
      <translation>重新分配</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/styles.py" line="205" />
      <source>Recognise</source>
      <translation>识别</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="54" />
      <source>Recognise (125 px/m)</source>
      <translation>识别（125 px/m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="56" />
      <source>Recognise: you can recognise a person you know (125 pixels per metre).</source>
      <translation>辨认：能认出熟悉的人（每米 125 像素）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="962" />
      <source>Reconnecting</source>
      <translation>正在重新连接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="448" />
      <source>Reference lines (roads, rivers, walls)</source>
      <translation>参考线（道路、河流、围墙）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="578" />
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="83" />
      <source>Register</source>
      <translation>立案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="54" />
      <source>Register (h)</source>
      <translation>立案（小时）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="65" />
      <source>Registered</source>
      <translation>已立案</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="86" />
      <source>Remember this connection in the project</source>
      <translation>在工程中记住此连接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="828" />
      <source>Renumbering report</source>
      <translation>重新编码报告</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="64" />
      <source>Reported</source>
      <translation>已上报</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="152" />
      <source>Reported at</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="83" />
      <source>Reporter</source>
      <translation>上报人</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="202" />
      <source>Reports voided</source>
      <translation>作废上报数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="560" />
      <source>Requested from</source>
      <translation>请求起始时间</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="562" />
      <source>Requested until (default: now)</source>
      <translation>请求截止时间（默认：当前）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="576" />
      <source>Requests not imported</source>
      <translation>未导入的请求</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="572" />
      <source>Resolution '{0}' is not a pixel count; ignored.</source>
      <translation>分辨率“{0}”不是像素数；已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="84" />
      <source>Responsibility list</source>
      <translation>权责清单</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="293" />
      <source>Responsibility list saved by {0}: {1} row(s) saved, {2} deleted.</source>
      <translation>{0} 保存了权责清单：保存 {1} 行，删除 {2} 行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="347" />
      <source>Responsibility list saved.</source>
      <translation>权责清单已保存。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1081" />
      <source>Responsibility list…</source>
      <translation>权责清单…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="79" />
      <source>Return</source>
      <translation>退回</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="206" />
      <source>Returned</source>
      <translation>已退回</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="27" />
      <source>Roads</source>
      <translation>道路</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="195" />
      <source>Rook contiguity</source>
      <translation>车式（Rook）邻接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="128" />
      <source>Row / node</source>
      <translation>行 / 节点</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="42" />
      <source>Row skipped</source>
      <translation>已跳过该行</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="226" />
      <source>Rows or nodes skipped</source>
      <translation>跳过的行或节点数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="124" />
      <source>Run coverage</source>
      <translation>计算覆盖</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="133" />
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="407" />
      <source>Save or discard the grid edits first.</source>
      <translation>请先保存或放弃网格编辑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="712" />
      <source>Save the grid atlas</source>
      <translation>保存网格图册</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="430" />
      <source>Saved {0} ({1} pages).</source>
      <translation>已保存 {0}（共 {1} 页）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="417" />
      <source>Saved {0}.</source>
      <translation>已保存 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="91" />
      <source>Scale</source>
      <translation>规模</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="95" />
      <source>Scale factor (overrides scale)</source>
      <translation>规模系数（优先于规模）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="46" />
      <source>Schema version</source>
      <translation>模式版本</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="428" />
      <source>Scope</source>
      <translation>范围</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="394" />
      <source>Search</source>
      <translation>搜索</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="240" />
      <source>Select a case first.</source>
      <translation>请先选择一个案件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="504" />
      <source>Select a draft plan first.</source>
      <translation>请先选择一个草稿方案。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="404" />
      <source>Select a plan first.</source>
      <translation>请先选择一个方案。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="310" />
      <source>Select at least two grids to merge.</source>
      <translation>请至少选择两个网格进行合并。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="831" />
      <source>Select cases first.</source>
      <translation>请先选择案件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="246" />
      <source>Select one or more grids on the map first.</source>
      <translation>请先在地图上选择一个或多个网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="658" />
      <source>Select the grids to assign first.</source>
      <translation>请先选择要分配的网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="899" />
      <source>Select the target grid first (Shift+click a grid).</source>
      <translation>请先选择目标网格（Shift+单击网格）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="581" />
      <source>Selected cases</source>
      <translation>所选案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="63" />
      <source>Selected grids</source>
      <translation>选中的网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="51" />
      <source>Sensor</source>
      <translation>传感器</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="330" />
      <source>Service code '{0}' ({1}) has no category in the service map.</source>
      <translation>服务代码“{0}”（{1}）在服务映射中没有对应类别。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="567" />
      <source>Service code to category map</source>
      <translation>服务代码到类别的映射</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="307" />
      <source>Service map line '{0}' is not service_code=category.</source>
      <translation>服务映射行“{0}”不是 service_code=category 格式。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="683" />
      <source>Services without a category (their requests will be reported, not imported): {0}</source>
      <translation>没有对应类别的服务（其请求将列入报告，不予导入）：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="912" />
      <source>Set a PostGIS connection in the plugin settings for the live layer.</source>
      <translation>请在插件设置中为实时图层设置 PostGIS 连接。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/plugin.py" line="111" />
      <source>Settings…</source>
      <translation>设置…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="180" />
      <source>Share of the unseen target</source>
      <translation>占未覆盖区域比例</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="419" />
      <source>Sheet {0} could not be prepared.</source>
      <translation>第 {0} 页无法生成。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="209" />
      <source>Shift+click the target grid, then click or drag over buildings to move them into it.</source>
      <translation>Shift+单击目标网格，再单击或拖过建筑，将其划入目标网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="243" />
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="485" />
      <source>Slivers</source>
      <translation>碎片</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="474" />
      <source>Smallest blind spot reported (m2)</source>
      <translation>报告的最小盲区面积（m2）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="752" />
      <source>Solve exactly up to this many options</source>
      <translation>选项数不超过此值时精确求解</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="325" />
      <source>Soon overdue within</source>
      <translation>即将超期时限</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="82" />
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="733" />
      <source>Spacing of generated mount points (m)</source>
      <translation>生成安装点的间距（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="739" />
      <source>Spacing of target sample points (m)</source>
      <translation>目标采样点间距（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="195" />
      <source>Split grid</source>
      <translation>拆分网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="284" />
      <source>Split grid {0}</source>
      <translation>拆分网格 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="117" />
      <source>Start editing the layer {0} first.</source>
      <translation>请先开始编辑图层 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="75" />
      <source>Start live balance</source>
      <translation>启动实时均衡</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="75" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="163" />
      <source>Status field</source>
      <translation>状态字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="216" />
      <source>Status where missing</source>
      <translation>缺失时的状态</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="138" />
      <source>Step</source>
      <translation>环节</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="327" />
      <source>Stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="33" />
      <source>Store</source>
      <translation>数据存储</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/labels.py" line="25" />
      <source>Street</source>
      <translation>街道</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="289" />
      <source>Street space</source>
      <translation>街面空间</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="282" />
      <source>Streets (jiedao)</source>
      <translation>街道</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="646" />
      <source>Suggest camera positions</source>
      <translation>建议摄像头位置</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="155" />
      <source>Suggest cameras</source>
      <translation>建议摄像机点位</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="502" />
      <source>Suggested cameras</source>
      <translation>建议的摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="178" />
      <source>Suggested cameras, best first (click to zoom)</source>
      <translation>建议摄像机点位（按效果排序，点击定位）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="383" />
      <source>Suggested duplicates</source>
      <translation>疑似重复</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="925" />
      <source>Suggested {0} cameras adding {1:.0f} (weighted m2) by {2}.</source>
      <translation>采用 {2} 方法建议了 {0} 个摄像头，新增覆盖 {1:.0f}（加权 m2）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="500" />
      <source>Suggesting cameras failed; see the log.</source>
      <translation>摄像机点位建议失败；请查看日志。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="497" />
      <source>Suggesting cameras was cancelled.</source>
      <translation>摄像机点位建议已取消。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="647" />
      <source>Suggests COUNT new cameras (with the default lens, range and height) that add the most coverage of the TARGET not yet seen by the existing CAMERAS. Mount points come from CANDIDATES or, when absent, are generated along building facades and street edges every 'site spacing' metres; each is tried with several azimuths. The target is sampled on a lattice; WEIGHTS points (e.g. past events) make nearby ground count more. A lazy greedy choice (within 1 - 1/e of the optimum) is always made; on small instances the exact optimum is found with a MILP as well and the better choice is kept. The log reports the gain and, where solved, the optimum.</source>
      <translation>为 TARGET 中现有摄像头（CAMERAS）尚未看到的部分，建议 COUNT 个能新增最多覆盖的新摄像头（采用默认镜头、监视距离和安装高度）。安装点取自 CANDIDATES；未提供时，沿建筑外立面和街道边缘每隔“安装点间距”米自动生成；每个安装点会尝试多个方位角。目标区域按格点采样；WEIGHTS 点（如历史事件）使其附近的地面权重更高。始终采用惰性贪心选择（达到最优值的 1 - 1/e 以上）；对小规模问题还会用 MILP 求出精确最优解，并保留较优的方案。日志中会报告增益，以及在已求解时的最优值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="296" />
      <source>Supervision board</source>
      <translation>督办看板</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1076" />
      <source>Supervision board…</source>
      <translation>督办看板…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="212" />
      <source>System where missing (e.g. 天网, 雪亮)</source>
      <translation>缺失时的所属系统（如 天网、雪亮）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="266" />
      <source>Take over the grids of</source>
      <translation>接管以下网格员的网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="484" />
      <source>Takeover table</source>
      <translation>接管对照表</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="520" />
      <source>Target</source>
      <translation>目标</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="491" />
      <source>Target area (m2)</source>
      <translation>目标面积（m2）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="451" />
      <source>Target area (street space, squares...)</source>
      <translation>目标区域（街道空间、广场等）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="522" />
      <source>Target feature {0} could not be transformed: {1}</source>
      <translation>目标要素 {0} 无法转换：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="552" />
      <source>Target feature {0} has an invalid geometry; it was repaired.</source>
      <translation>目标要素 {0} 的几何无效；已修复。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="875" />
      <source>Target grid: {0}</source>
      <translation>目标网格：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="661" />
      <source>Target households per grid</source>
      <translation>每个网格的目标户数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="77" />
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/crs.py" line="52" />
      <source>The CRS {0} is projected but not in metres; reproject the layer first.</source>
      <translation>坐标参考系 {0} 是投影坐标系，但单位不是米；请先对图层重投影。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/plans.py" line="205" />
      <source>The GeoPackage has no layer '{0}'.</source>
      <translation>GeoPackage 中没有图层“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="633" />
      <source>The Open311 import stopped: {0} (what was imported before stays; running again continues safely)</source>
      <translation>Open311 导入已中止：{0}（此前已导入的数据会保留；再次运行可安全地继续导入）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="431" />
      <source>The PDF {0} cannot be written.</source>
      <translation>无法写入 PDF 文件 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/tasks.py" line="35" />
      <source>The algorithm {0} is not available.</source>
      <translation>算法 {0} 不可用。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="446" />
      <source>The area has no valid polygon geometry.</source>
      <translation>该区域没有有效的面几何。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="800" />
      <source>The area layer has no polygons.</source>
      <translation>范围图层中没有多边形。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="322" />
      <source>The area to watch has nothing in this scope.</source>
      <translation>监控区域在此范围内没有内容。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="292" />
      <source>The assignment failed: {0}</source>
      <translation>分派失败：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="339" />
      <source>The atlas could not be exported: {0}</source>
      <translation>图册导出失败：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="384" />
      <source>The atlas could not start.</source>
      <translation>图册无法开始导出。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="414" />
      <source>The atlas export was cancelled; nothing was kept.</source>
      <translation>图册导出已取消，未保留任何文件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="121" />
      <source>The authentication configuration '{0}' of connection '{1}' could not be read.</source>
      <translation>无法读取连接“{1}”的认证配置“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="364" />
      <source>The building layer</source>
      <translation>建筑图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="701" />
      <source>The building layer has no households field: give COUNT instead.</source>
      <translation>建筑图层没有户数字段：请改为给出 COUNT。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="370" />
      <source>The building layer has no households field: households are 0 everywhere.</source>
      <translation>建筑图层没有户数字段：各处户数均按 0 计。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="362" />
      <source>The buildings</source>
      <translation>建筑</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="467" />
      <source>The buildings do not border grid {0}; it would not be one piece. Move refused.</source>
      <translation>这些建筑与网格 {0} 不相邻，划入后将不连片，拒绝划转。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="263" />
      <source>The camera layer has no field {0}; its default is used.</source>
      <translation>摄像头图层没有字段 {0}；使用其默认值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="184" />
      <source>The camera layer {0} cannot be edited.</source>
      <translation>摄像机图层 {0} 无法编辑。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="216" />
      <source>The camera store refused the import: {0}</source>
      <translation>摄像机库拒绝了此次导入：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="810" />
      <source>The candidate layer has no points.</source>
      <translation>候选图层中没有点。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="248" />
      <source>The case is {0}: it can no longer be assigned.</source>
      <translation>案件已{0}，不能再分派。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="167" />
      <source>The cell size must be a positive number of metres.</source>
      <translation>单元格大小必须为正数（米）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="330" />
      <source>The check failed; see the log.</source>
      <translation>检查失败；请查看日志。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="594" />
      <source>The check found no problem.</source>
      <translation>检查未发现问题。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="588" />
      <source>The check found problems you may accept: {0}. They are listed in the Check tab.</source>
      <translation>检查发现以下可接受的问题：{0}。详见“检查”页。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="530" />
      <source>The check of plan {0} failed; nothing was published.</source>
      <translation>方案 {0} 检查失败，未发布任何内容。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="95" />
      <source>The code '{0}' does not start with the code '{1}' of its community.</source>
      <translation>编码“{0}”不是以其所属社区的编码“{1}”开头。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="92" />
      <source>The code '{0}' has grid serial 000; serials start at 001.</source>
      <translation>编码“{0}”的网格序号为 000；序号应从 001 开始。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="87" />
      <source>The code '{0}' must have 15 digits (county 6 + street 3 + community 3 + grid 3).</source>
      <translation>编码“{0}”必须为 15 位（区县 6 位 + 街道 3 位 + 社区 3 位 + 网格 3 位）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="231" />
      <source>The code {0} is used by {1} grids: {2}.</source>
      <translation>编码 {0} 被 {1} 个网格使用：{2}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="197" />
      <source>The communities</source>
      <translation>社区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/gridcodes.py" line="122" />
      <source>The community code '{0}' must have 12 digits (or 6 with a county code).</source>
      <translation>社区编码“{0}”必须为 12 位（提供区县编码时为 6 位）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="695" />
      <source>The community layer</source>
      <translation>社区图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="74" />
      <source>The county code '{0}' does not start with a GB/T 2260 province code.</source>
      <translation>区县编码“{0}”不是以 GB/T 2260 省级编码开头。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="72" />
      <source>The county code '{0}' must have 6 digits (GB/T 2260).</source>
      <translation>区县编码“{0}”必须为 6 位（GB/T 2260）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="498" />
      <source>The database has no gridgov schema; install it first.</source>
      <translation>数据库中没有 gridgov 模式；请先安装。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="618" />
      <source>The database has no gridgov.report_event; install or upgrade the schema first.</source>
      <translation>数据库中没有 gridgov.report_event；请先安装或升级数据库模式。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="274" />
      <source>The database refused the step: {0}</source>
      <translation>数据库拒绝了该步骤：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1011" />
      <source>The density raster failed.</source>
      <translation>密度栅格生成失败。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="148" />
      <source>The departmental layers hold no polygons.</source>
      <translation>部门图层中没有面要素。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="529" />
      <source>The device id was stored as a number and lost digits; format the column as text. Id left empty.</source>
      <translation>设备编码以数字存储而丢失了位数；请将该列设为文本格式。编码留空。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/edits.py" line="143" />
      <source>The edit would leave {0} m² of ground uncovered or covered twice; refused.</source>
      <translation>此次编辑会留下 {0} 平方米未覆盖或重复覆盖的区域，已拒绝。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="267" />
      <source>The end of the import period must be after its start.</source>
      <translation>导入时段的结束时间必须晚于开始时间。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="89" />
      <source>The events have no field '{0}'.</source>
      <translation>事件中没有字段“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_fov_adapter.py" line="68" />
      <source>The geometry library shapely cannot run inside this QGIS (its GEOS clashes with QGIS's: {0}). Update the plugin or install shapely built for this QGIS.</source>
      <translation>几何库 shapely 无法在此 QGIS 中运行（其 GEOS 与 QGIS 的 GEOS 冲突：{0}）。请更新插件或安装为此 QGIS 编译的 shapely。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="147" />
      <source>The geometry of grid {0} could not be changed.</source>
      <translation>无法修改网格 {0} 的几何。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/coderule.py" line="85" />
      <source>The grid has no code.</source>
      <translation>该网格没有编码。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/gridcodes.py" line="130" />
      <source>The grid has no geometry.</source>
      <translation>该网格没有几何。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="199" />
      <source>The grid layer</source>
      <translation>网格图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/workers.py" line="108" />
      <source>The grid layer has no field '{0}'.</source>
      <translation>网格图层没有字段“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="531" />
      <source>The grid layer has no field {0}; feature ids are used.</source>
      <translation>网格图层没有字段 {0}；使用要素 ID。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="379" />
      <source>The grid layer has no grids to print.</source>
      <translation>网格图层中没有可打印的网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="410" />
      <source>The grid layer shows plan {0}.</source>
      <translation>网格图层正在显示方案 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="643" />
      <source>The grid worker list {0} has {1} worker(s), none of them active.</source>
      <translation>网格员名单 {0} 中有 {1} 人，但都不在岗。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="641" />
      <source>The grid worker list {0} is empty: add the workers there first.</source>
      <translation>网格员名单 {0} 为空：请先录入网格员。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="149" />
      <source>The gridgov schema is not installed there yet (menu: Install or upgrade the database schema…).</source>
      <translation>该数据库尚未安装 gridgov 模式（菜单：安装或升级数据库模式…）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="298" />
      <source>The grids already have a field '{0}'; rename it first.</source>
      <translation>网格中已有字段“{0}”；请先将其重命名。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="84" />
      <source>The ground cameras should see: street space, squares, entrances (not roofs or courtyards).</source>
      <translation>摄像机应看到的地面：街道空间、广场、出入口（不含屋顶和院落）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="133" />
      <source>The ground each camera really sees: its wedge of view, with what buildings hide cut away.</source>
      <translation>每台摄像机实际看到的地面：视野扇形减去被建筑遮挡的部分。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/crs.py" line="47" />
      <source>The layer has no valid coordinate reference system.</source>
      <translation>该图层没有有效的坐标参考系。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="277" />
      <source>The line does not cross grid {0} from side to side.</source>
      <translation>该线没有完整穿过网格 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="123" />
      <source>The live balance could not start: {0}</source>
      <translation>实时均衡无法启动：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="307" />
      <source>The live layer could not load the events: {0}</source>
      <translation>实时图层无法加载事件：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="299" />
      <source>The new part of grid {0} could not be added.</source>
      <translation>无法添加网格 {0} 拆出的新部分。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="569" />
      <source>The plan is still called “{0}”. Name it as it will be known:</source>
      <translation>方案仍名为“{0}”。请输入发布后使用的名称：</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="393" />
      <source>The plans could not be read: {0}</source>
      <translation>无法读取方案：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="868" />
      <source>The previous grids have no field '{0}'.</source>
      <translation>原有网格中没有字段“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="346" />
      <source>The request has no coordinates (lat/long).</source>
      <translation>该请求没有坐标（lat/long）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="323" />
      <source>The request has no service_request_id.</source>
      <translation>该请求没有 service_request_id。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1047" />
      <source>The responsibility list is stored in PostGIS: choose a PostgreSQL connection in the plugin settings first.</source>
      <translation>权责清单保存在 PostGIS 中：请先在插件设置中选择 PostgreSQL 连接。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="112" />
      <source>The scale factor '{0}' is not a number.</source>
      <translation>规模系数“{0}”不是数字。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="61" />
      <source>The schema could not be installed: {0}</source>
      <translation>无法安装数据库模式：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="67" />
      <source>The schema is up to date (version {0}).</source>
      <translation>数据库模式已是最新（版本 {0}）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="827" />
      <source>The selected cases are at steps with no step in common.</source>
      <translation>所选案件处于不同环节，没有共同的下一步。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="621" />
      <source>The server could not bin the heatmap window: {0}</source>
      <translation>服务器未能对热力图时间窗内的事件分格汇总：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="673" />
      <source>The service list could not be read: {0}</source>
      <translation>无法读取服务列表：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="297" />
      <source>The service map is not valid JSON: {0}</source>
      <translation>服务映射不是有效的 JSON：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="299" />
      <source>The service map must be a JSON object of service_code: category.</source>
      <translation>服务映射必须是 service_code: category 形式的 JSON 对象。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="1035" />
      <source>The supervision board needs the PostGIS connection (plugin settings).</source>
      <translation>督办看板需要 PostGIS 连接（见插件设置）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="803" />
      <source>The target has nothing inside the area.</source>
      <translation>监控区域在此范围内没有任何部分。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="524" />
      <source>The target layer has no polygons.</source>
      <translation>目标图层中没有面。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="387" />
      <source>The worker table has no field 'worker_id'.</source>
      <translation>网格员表中没有字段 'worker_id'。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="170" />
      <source>There are no events to build a grid over.</source>
      <translation>没有可用于生成格网的事件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="111" />
      <source>There is no PostgreSQL connection named '{0}' in QGIS.</source>
      <translation>QGIS 中没有名为“{0}”的 PostgreSQL 连接。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/workers.py" line="73" />
      <source>There is no grid '{0}'.</source>
      <translation>不存在网格“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="364" />
      <source>There is no grid boundary vertex here.</source>
      <translation>此处没有网格边界节点。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/workers.py" line="42" />
      <source>There is no grid worker '{0}'.</source>
      <translation>不存在网格员“{0}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="822" />
      <source>There is no mount point inside the area.</source>
      <translation>此范围内没有可用的安装点。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/plans.py" line="308" />
      <source>There is no plan {0}.</source>
      <translation>不存在方案 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="457" />
      <source>There is no published plan to compare with.</source>
      <translation>没有可比较的已发布方案。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="127" />
      <source>This grid</source>
      <translation>本网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="473" />
      <source>Tile size without grids (m)</source>
      <translation>无网格时的分块大小（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="160" />
      <source>Tilt field (degrees below horizontal)</source>
      <translation>俯仰角字段（水平线以下的度数）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="398" />
      <source>Tilt without a vertical field of view: the analyses use the range only.</source>
      <translation>有俯仰角但无垂直视场角：分析只使用可视距离。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="138" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="180" />
      <source>Time field (default: reported_at or date)</source>
      <translation>时间字段（默认：reported_at 或 date）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="678" />
      <source>Tolerance (%)</source>
      <translation>容差（%）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="468" />
      <source>Tolerance (m)</source>
      <translation>容差（m）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="679" />
      <source>Too many road features on screen to trace; zoom in. The segment is straight.</source>
      <translation>屏幕上的道路要素过多，无法追踪，请放大。该段按直线绘制。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_tools.py" line="673" />
      <source>Tracing needs a roads layer; the segment is straight.</source>
      <translation>追踪需要道路图层；该段按直线绘制。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_tool.py" line="330" />
      <source>Turn camera</source>
      <translation>转动摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="671" />
      <source>Unavailable because {0}.</source>
      <translation>不可用：{0}。</translation>
    </message>
    <message>
      <location filename="../scripts/make_demo.py" line="301" />
      <source>Unified grid (proposal)</source>
      <translation>统一网格（建议方案）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="338" />
      <source>Unified grid {0} ({1} m²) is covered by no departmental grid.</source>
      <translation>统一网格 {0}（{1} m²）未被任何部门网格覆盖。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/unify.py" line="346" />
      <source>Unified grid {0} is in several pieces.</source>
      <translation>统一网格 {0} 分为多块。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="482" />
      <source>Unified grids</source>
      <translation>统一网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="429" />
      <source>Unify departmental grids</source>
      <translation>统一部门网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="157" />
      <source>Unify…</source>
      <translation>多网融合…</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="557" />
      <source>Unknown status '{0}'; {1} used.</source>
      <translation>未知状态“{0}”；已使用 {1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="247" />
      <source>Unknown weights '{0}'; use one of {1}.</source>
      <translation>未知的权重“{0}”；请使用 {1} 之一。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="157" />
      <source>Until (reported time, exclusive)</source>
      <translation>截止（上报时间，不含）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="390" />
      <source>Updated {0}.</source>
      <translation>已更新 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/hotspots.py" line="354" />
      <source>Use at least 9 permutations (999 is usual).</source>
      <translation>置换次数至少为 9（通常为 999）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="166" />
      <source>Validate grids</source>
      <translation>校验网格</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="227" />
      <source>Values corrected or ignored</source>
      <translation>更正或忽略的值数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="68" />
      <source>Verified</source>
      <translation>已核查</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="86" />
      <source>Verify</source>
      <translation>核查</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="57" />
      <source>Verify (h)</source>
      <translation>核查（小时）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="161" />
      <source>Vertical field of view field (degrees)</source>
      <translation>垂直视场角字段（度）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/cases.py" line="70" />
      <source>Void</source>
      <translation>已作废</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="59" />
      <source>WGS 84</source>
      <translation>WGS 84</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="165" />
      <source>Weight by past events (last 12 months)</source>
      <translation>按历史事件加权（近 12 个月）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="702" />
      <source>Weight field (empty: 1 per point)</source>
      <translation>权重字段（为空：每个点计 1）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="694" />
      <source>Weight points (e.g. past events)</source>
      <translation>权重点（如历史事件）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="767" />
      <source>Weight points used</source>
      <translation>使用的权重点数</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="174" />
      <source>Weighting is off.</source>
      <translation>已关闭加权。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="128" />
      <source>What happened</source>
      <translation>处理结果</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="102" />
      <source>Which community</source>
      <translation>选择社区</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="417" />
      <source>Which part of the TARGET polygons (street space, squares, entrances) the cameras see, taking building footprints as obstacles. COVERAGE is the seen part (dissolved; one feature per grid when GRIDS are given), BLIND_SPOTS the target minus coverage minus buildings as single polygons with their area and grid, GRID_STATS per grid the target area (without buildings), covered area, ratio, number of blind spots and the area watched by two or more cameras. Only online cameras count unless 'planned coverage' is ticked (then online, offline, faulty and planned cameras count; obstructed ones never do).</source>
      <translation>计算 TARGET 面（街道空间、广场、出入口）中摄像头可看到的部分，并将建筑基底作为遮挡物。COVERAGE 为可视部分（已融合；提供 GRIDS 时每个网格一个要素）；BLIND_SPOTS 为目标区域减去覆盖范围和建筑后的部分，拆分为单部件面，并附面积和所属网格；GRID_STATS 按网格给出目标面积（不含建筑）、覆盖面积、覆盖率、盲区数量以及有两个或以上摄像头监视的面积。默认只计入在线摄像头；勾选“规划覆盖”后，在线、离线、故障和规划中的摄像头均计入（被遮挡的摄像头始终不计入）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="138" />
      <source>Who</source>
      <translation>操作人</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="89" />
      <source>Whoever opens the project uses this connection (only its name is saved, never a password).</source>
      <translation>打开此工程的人都使用此连接（只保存连接名，绝不保存密码）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="128" />
      <source>Why</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="230" />
      <source>Window {0} .. {1}, page {2}: {3}</source>
      <translation>时间窗口 {0} .. {1}，第 {2} 页：{3}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="406" />
      <source>Window {0} .. {1}: {2} requests so far.</source>
      <translation>时间窗口 {0} .. {1}：目前已获取 {2} 条请求。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="396" />
      <source>Within</source>
      <translation>相距不超过</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="199" />
      <source>Worker</source>
      <translation>网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="344" />
      <source>Worker id field of the grids</source>
      <translation>网格的网格员 ID 字段</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="258" />
      <source>Workers</source>
      <translation>网格员</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="366" />
      <source>Working in {0}.</source>
      <translation>工作坐标系：{0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="147" />
      <source>Workload statistics</source>
      <translation>工作量统计</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="356" />
      <source>Workload statistics for {0} grid(s).</source>
      <translation>{0} 个网格的工作量统计。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_store.py" line="76" />
      <source>Writes a generated district (streets, buildings, communities, grids, departmental grids, cameras and two years of events) into a GeoPackage store. The same seed always gives the same city. Scale 'city' generates a whole city for benchmarks.</source>
      <translation>将生成的示例城区（街道、建筑、社区、网格、部门网格、摄像头及两年的事件）写入 GeoPackage 数据库。相同的随机种子始终生成相同的城市。规模选 'city'（城市）时生成整座城市，用于性能测试。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="783" />
      <source>Writes grid codes county (6, GB/T 2260) + street (3) + community (3) + serial (3). Serials run west→east in rows north→south within each community (a row = grids whose centres lie within half the median grid height below the row's first grid). Grids that did not change (IoU ≥ 0.95 with a previous grid) keep their code; the report lists kept, renumbered, new and retired codes. The input is not changed.</source>
      <translation>编写网格编码：区县（6 位，GB/T 2260）+ 街道（3 位）+ 社区（3 位）+ 序号（3 位）。在每个社区内，序号按行从北到南、行内从西到东编排（一行 = 中心点位于该行第一个网格下方、网格高度中位数一半范围内的网格）。未变化的网格（与某个原有网格的 IoU ≥ 0.95）保留原编码；报告列出保留、重新编码、新增和注销的编码。输入图层不会被修改。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="358" />
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="286" />
      <source>You may not change the responsibility list: {0}</source>
      <translation>您无权修改权责清单：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="55" />
      <source>added</source>
      <translation>新增</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="85" />
      <source>all round</source>
      <translation>全方位</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="398" />
      <source>and</source>
      <translation>，时间相差不超过</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="59" />
      <source>at the kerb</source>
      <translation>路边</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="323" />
      <source>by</source>
      <translation>按</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="705" />
      <source>camera:type={0} can look all round: hfov 360.</source>
      <translation>camera:type={0} 可全向观察：水平视场角取 360。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="365" />
      <source>cameras</source>
      <translation>摄像头</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="59" />
      <source>candidate point</source>
      <translation>候选点</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="166" />
      <source>cannot reach {0}: {1}</source>
      <translation>无法访问 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="338" />
      <source>community {0}</source>
      <translation>社区 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="17" />
      <source>east</source>
      <translation>东</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="276" />
      <source>feature {0}</source>
      <translation>要素 {0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="552" />
      <source>it holds a block or building of {0} households, more than the upper bound {1}.</source>
      <translation>其中有一个 {0} 户的街区或建筑，超过上限 {1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="570" />
      <source>jurisdiction_id</source>
      <translation>jurisdiction_id</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="169" />
      <source>layer '{0}' (read-only)</source>
      <translation>图层“{0}”（只读）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="260" />
      <source>m</source>
      <translation>米</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="641" />
      <source>man_made={0} is not a surveillance node; skipped.</source>
      <translation>man_made={0} 不是监控节点；已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="444" />
      <source>merged as duplicates from the case dock</source>
      <translation>在案件面板中作为重复事件合并</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="209" />
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="491" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="15" />
      <source>north</source>
      <translation>北</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="16" />
      <source>north-east</source>
      <translation>东北</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="22" />
      <source>north-west</source>
      <translation>西北</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="443" />
      <source>not weighted by past events (switched off)</source>
      <translation>未按历史事件加权（已关闭）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="446" />
      <source>not weighted: no events layer is chosen</source>
      <translation>未加权：未选择事件图层</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="59" />
      <source>on a facade</source>
      <translation>建筑外墙</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="275" />
      <source>one of several directions; one camera per direction</source>
      <translation>多个朝向之一；每个朝向一台摄像机</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="400" />
      <source>p-value cut-offs used: {0}</source>
      <translation>使用的 p 值临界值：{0}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/store/db.py" line="64" />
      <source>pg_service '{0}'</source>
      <translation>pg_service“{0}”</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="283" />
      <source>range read clockwise: centre and width</source>
      <translation>按顺时针读取的范围：取中心与宽度</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="56" />
      <source>removed</source>
      <translation>撤销</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="53" />
      <source>renumbered</source>
      <translation>重新编号</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="342" />
      <source>requested_datetime '{0}' is not a date and time.</source>
      <translation>requested_datetime“{0}”不是日期时间。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="54" />
      <source>reshaped</source>
      <translation>边界调整</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="19" />
      <source>south</source>
      <translation>南</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="18" />
      <source>south-east</source>
      <translation>东南</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="20" />
      <source>south-west</source>
      <translation>西南</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="645" />
      <source>surveillance:type={0} is not a camera; skipped.</source>
      <translation>surveillance:type={0} 不是摄像机；已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="648" />
      <source>surveillance=fake: a dummy camera; skipped.</source>
      <translation>surveillance=fake：假摄像机；已跳过。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="288" />
      <source>taken modulo 360</source>
      <translation>已对 360 取模</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="503" />
      <source>target</source>
      <translation>目标</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="359" />
      <source>the area enclosed by the grids</source>
      <translation>网格围合的区域</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/partition.py" line="558" />
      <source>the buildings around it do not allow a closer split.</source>
      <translation>周边建筑无法支持更接近的划分。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="636" />
      <source>the database {0} cannot be reached: {1}</source>
      <translation>无法访问数据库 {0}：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="450" />
      <source>weighted by all events of {0} (it has no report time)</source>
      <translation>按 {0} 的全部事件加权（该图层没有上报时间）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="463" />
      <source>weighted by the events of the last 12 months</source>
      <translation>已按近 12 个月的事件加权</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/compass.py" line="21" />
      <source>west</source>
      <translation>西</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/balance_panel.py" line="209" />
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="655" />
      <source>{0} (detail)</source>
      <translation>{0}（近景）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/live_layer.py" line="645" />
      <source>{0} (overview)</source>
      <translation>{0}（全景）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="196" />
      <source>{0} (unknown)</source>
      <translation>{0}（未知）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="820" />
      <source>{0} ({1} cases)</source>
      <translation>{0}（{1} 个案件）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="515" />
      <source>{0} ({1} events in the area).</source>
      <translation>{0}（范围内 {1} 件事件）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="247" />
      <source>{0} ({1} of {2})</source>
      <translation>{0}（{2} 件中 {1} 件）</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/case_card.py" line="219" />
      <source>{0} ({1}, {2}) – {3} m</source>
      <translation>{0}（{1}，{2}）– {3} m</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="646" />
      <source>{0} active grid worker(s).</source>
      <translation>{0} 名在岗网格员。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="169" />
      <source>{0} answered HTTP {1}</source>
      <translation>{0} 返回 HTTP {1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="172" />
      <source>{0} answered HTTP {1}: {2}</source>
      <translation>{0} 返回 HTTP {1}：{2}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="81" />
      <source>{0} are in {1}, the grids in {2}: both are reprojected to {3} for the analysis.</source>
      <translation>{0}的坐标系为 {1}，网格的坐标系为 {2}：两者均重投影到 {3} 进行分析。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="491" />
      <source>{0} area(s) change grid; code changes: {1}</source>
      <translation>{0} 处区域改变所属网格；编码变化：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="422" />
      <source>{0} buildings lie outside every grid.</source>
      <translation>有 {0} 栋建筑不在任何网格内。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_tool.py" line="440" />
      <source>{0} camera {1}</source>
      <translation>{0}摄像机{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="243" />
      <source>{0} cameras added to and {1} updated in the camera store ({2}).</source>
      <translation>已向摄像机库（{2}）新增 {0} 台、更新 {1} 台摄像机。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="252" />
      <source>{0} cameras have no horizontal resolution: DORI does not limit their range.</source>
      <translation>{0} 个摄像头没有水平分辨率：DORI 不限制其监视距离。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="550" />
      <source>{0} cameras imported into {1}; {2} rows skipped.</source>
      <translation>已向 {1} 导入 {0} 台摄像机；跳过 {2} 行。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="287" />
      <source>{0} cameras imported, {1} rows or nodes skipped, {2} values corrected or ignored.</source>
      <translation>已导入 {0} 台摄像机，跳过 {1} 行或节点，更正或忽略 {2} 个值。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/camera_import_dialog.py" line="108" />
      <source>{0} cameras imported; {1} rows skipped, {2} values corrected, {3} values not used or to check, {4} defaulted or converted.</source>
      <translation>已导入 {0} 台摄像机；跳过 {1} 行，更正 {2} 个值，{3} 个值未采用或需核对，{4} 个值使用默认或已换算。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="509" />
      <source>{0} cameras suggested, adding {1:.0f} m² of coverage.</source>
      <translation>建议 {0} 台摄像机，增加覆盖 {1:.0f} 平方米。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="131" />
      <source>{0} cannot be opened as a layer of OpenStreetMap nodes.</source>
      <translation>{0} 无法作为 OpenStreetMap 节点图层打开。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/supervision_board.py" line="236" />
      <source>{0} case(s)</source>
      <translation>{0} 件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="882" />
      <source>{0} case(s) updated.</source>
      <translation>已更新 {0} 个案件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="757" />
      <source>{0} case(s), {1} overdue.</source>
      <translation>{0} 个案件，其中 {1} 个超期。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="186" />
      <source>{0} categories.</source>
      <translation>共 {0} 个类别。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="404" />
      <source>{0} cells have no neighbour and were linked to their nearest cell.</source>
      <translation>{0} 个单元格没有相邻单元格，已连接到最近的单元格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="899" />
      <source>{0} codes kept, {1} renumbered, {2} new, {3} retired.</source>
      <translation>保留编码 {0} 个，重新编码 {1} 个，新增 {2} 个，注销 {3} 个。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/atlas.py" line="425" />
      <source>{0} could not be written.</source>
      <translation>无法写入 {0}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/tasks.py" line="46" />
      <source>{0} did not finish.</source>
      <translation>{0} 未完成。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/coverage_dock.py" line="412" />
      <source>{0} done.</source>
      <translation>{0}已完成。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="390" />
      <source>{0} events in {1} cells; {2} left out by the filters, {3} outside every cell.</source>
      <translation>{1} 个单元格中共 {0} 个事件；{2} 个被筛选条件排除，{3} 个不在任何单元格内。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="128" />
      <source>{0} feature {1} has a malformed geometry; it was repaired.</source>
      <translation>{0}要素 {1} 的几何格式错误；已修复。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="668" />
      <source>{0} grid(s) assigned; save the layer to keep it.</source>
      <translation>已分配 {0} 个网格；保存图层后生效。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="686" />
      <source>{0} grid(s) reassigned; save the layer to keep it.</source>
      <translation>已重新分配 {0} 个网格；保存图层后生效。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="695" />
      <source>{0} grid(s) without a worker are selected.</source>
      <translation>已选中 {0} 个无网格员的网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="775" />
      <source>{0} grids drawn for {1} communities.</source>
      <translation>已为 {1} 个社区划分 {0} 个网格。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="153" />
      <source>{0} has no field '{1}'.</source>
      <translation>{0} 没有字段“{1}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="511" />
      <source>{0} has no field '{1}': its grids are named by feature id.</source>
      <translation>{0} 没有字段“{1}”：其网格按要素 ID 命名。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="391" />
      <source>{0} is empty; default {1} used.</source>
      <translation>{0} 为空；已使用默认值 {1}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="506" />
      <source>{0} is in {1}: reprojected to {2}.</source>
      <translation>图层 {0} 的坐标系为 {1}：已重投影到 {2}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="434" />
      <source>{0} is neither UTF-8 nor GB18030 text.</source>
      <translation>{0} 既不是 UTF-8 也不是 GB18030 文本。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="547" />
      <source>{0} is not a GB/T 28181 device id (20 digits, type code 111-199); kept as is.</source>
      <translation>{0} 不是 GB/T 28181 设备编码（20 位，类型码 111-199）；按原样保留。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="127" />
      <source>{0} is not a file.</source>
      <translation>{0} 不是文件。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="133" />
      <source>{0} is not a point layer.</source>
      <translation>{0} 不是点图层。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="100" />
      <source>{0} more messages of level {1} were not shown.</source>
      <translation>另有 {0} 条级别为 {1} 的消息未显示。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="820" />
      <source>{0} mount points inside the area ({1} outside left out).</source>
      <translation>范围内有 {0} 个安装点（范围外 {1} 个未采用）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="871" />
      <source>{0} mount points, {1} options, {2} sample points of unseen target.</source>
      <translation>{0} 个安装点，{1} 个选项，{2} 个未覆盖目标的采样点。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/grids/validate.py" line="299" />
      <source>{0} m² of {1} is not covered by any grid (next to {2}).</source>
      <translation>{1} 中有 {0} m² 未被任何网格覆盖（毗邻 {2}）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="308" />
      <source>{0} obstacles ({1} after merging overlapping ones).</source>
      <translation>{0} 个遮挡物（合并重叠后为 {1} 个）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="510" />
      <source>{0} of {1} cameras count toward coverage (status).</source>
      <translation>{1} 个摄像头中有 {0} 个计入覆盖（按状态）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="530" />
      <source>{0} open cases overdue at {1}, {2} more due within {3} h.</source>
      <translation>截至 {1}，有 {0} 个在办案件超期，另有 {2} 个将在 {3} h 内到期。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/grid_dock.py" line="336" />
      <source>{0} problem(s) found.</source>
      <translation>发现 {0} 个问题。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="254" />
      <source>{0} problems found in {1} grids.</source>
      <translation>在 {1} 个网格中发现 {0} 个问题。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="884" />
      <source>{0} refused: {1}</source>
      <translation>{0} 个被拒绝：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="449" />
      <source>{0} report(s) merged.</source>
      <translation>已合并 {0} 条上报。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="663" />
      <source>{0} requests were not imported; see the report.</source>
      <translation>{0} 条请求未导入；请查看报告。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="182" />
      <source>{0} returned something that is not a GeoReport v2 JSON list: {1}</source>
      <translation>{0} 返回的内容不是 GeoReport v2 JSON 列表：{1}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/responsibility_dialog.py" line="285" />
      <source>{0} row(s) removed; Save deletes them from the responsibility list.</source>
      <translation>已移除 {0} 行；保存时将从权责清单中删除。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_events.py" line="680" />
      <source>{0} services offered.</source>
      <translation>提供 {0} 项服务。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="430" />
      <source>{0} suggested pair(s).</source>
      <translation>{0} 对疑似重复。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="619" />
      <source>{0} unified grids, {1} slivers merged.</source>
      <translation>统一网格 {0} 个，合并碎片 {1} 个。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_coverage.py" line="832" />
      <source>{0} weight points.</source>
      <translation>{0} 个权重点。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/events_dock.py" line="841" />
      <source>{0} {1} cases</source>
      <translation>{0}：{1} 个案件</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_camera_import.py" line="255" />
      <source>{0} {1}: {2}</source>
      <translation>{0} {1}：{2}</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="39" />
      <source>{0} – QGIS connection</source>
      <translation>{0} – QGIS 连接</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/gui/settings_dialog.py" line="41" />
      <source>{0} – pg_service</source>
      <translation>{0} – pg_service 服务</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="369" />
      <source>{0}: '{1}' is neither degrees nor a compass word; ignored.</source>
      <translation>{0}：“{1}”既不是角度也不是方位词，已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="702" />
      <source>{0}: '{1}' is not a direction; ignored.</source>
      <translation>{0}：“{1}”不是方向；已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="372" />
      <source>{0}: '{1}' is not a number; ignored.</source>
      <translation>{0}：“{1}”不是数字；已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="565" />
      <source>{0}: '{1}' read as {2}°.</source>
      <translation>{0}：“{1}”按 {2}° 读取。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="378" />
      <source>{0}: azimuth {1} is outside 0-360; ignored.</source>
      <translation>{0}：方位角 {1} 不在 0-360 之间，已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="108" />
      <source>{0}: feature {1} has an invalid geometry ({2}); it is repaired in memory only.</source>
      <translation>{0}：要素 {1} 的几何无效（{2}）；仅在内存中修复。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="103" />
      <source>{0}: feature {1} has no geometry and is ignored.</source>
      <translation>{0}：要素 {1} 没有几何，已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="210" />
      <source>{0}: the category is both saved and deleted.</source>
      <translation>{0}：该类别同时被保存和删除。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="258" />
      <source>{0}: the category is used by {1} event(s) and cannot be deleted.</source>
      <translation>{0}：该类别已被 {1} 个事件使用，不能删除。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="135" />
      <source>{0}: the field '{1}' is not a number in features {2}; counted as 0.</source>
      <translation>{0}：要素 {2} 中的字段“{1}”不是数字；按 0 计。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="161" />
      <source>{0}: {1} '{2}' is not in the list of departments.</source>
      <translation>{0}：{1}“{2}”不在部门列表中。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="204" />
      <source>{0}: {1} appears twice (rows {2} and {3}).</source>
      <translation>{0}：{1}重复出现（第 {2} 行和第 {3} 行）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="150" />
      <source>{0}: {1} does not match the code (BJ = component, SJ = event).</source>
      <translation>{0}：{1}与代码不符（BJ = 部件，SJ = 事件）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="157" />
      <source>{0}: {1} is empty.</source>
      <translation>{0}：{1}为空。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="155" />
      <source>{0}: {1} is longer than {2} characters.</source>
      <translation>{0}：{1}超过 {2} 个字符。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="173" />
      <source>{0}: {1} is not a number.</source>
      <translation>{0}：{1}不是数字。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="381" />
      <source>{0}: {1} is outside ({2}, {3}]; ignored.</source>
      <translation>{0}：{1} 不在 ({2}, {3}] 范围内，已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="384" />
      <source>{0}: {1} is outside [{2}, {3}]; ignored.</source>
      <translation>{0}：{1} 不在 [{2}, {3}] 范围内，已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/processing/alg_grids.py" line="116" />
      <source>{0}: {1} more invalid geometries.</source>
      <translation>{0}：另有 {1} 个无效几何。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="146" />
      <source>{0}: {1} must be BJ or SJ followed by 4 digits (e.g. SJ0102).</source>
      <translation>{0}：{1}须为 BJ 或 SJ 加 4 位数字（如 SJ0102）。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="168" />
      <source>{0}: {1} must be community, street or district, not '{2}'.</source>
      <translation>{0}：{1}须为 community（社区）、street（街道）或 district（区），不能是“{2}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="148" />
      <source>{0}: {1} must be component or event, not '{2}'.</source>
      <translation>{0}：{1}须为 component（部件）或 event（事件），不能是“{2}”。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/responsibility.py" line="177" />
      <source>{0}: {1} must be more than 0 and at most {2} hours, not {3}.</source>
      <translation>{0}：{1}须大于 0 且不超过 {2} 小时，不能是 {3}。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/events/open311.py" line="88" />
      <source>{0}: {1} requests fetched in {2} windows; {3} new, {4} already imported, {5} rejected.</source>
      <translation>{0}：在 {2} 个时间窗口中获取 {1} 条请求；新增 {3} 条，已导入 {4} 条，拒绝 {5} 条。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="687" />
      <source>{0}={1} cannot be a tilt (beyond 90 degrees); ignored.</source>
      <translation>{0}={1} 不可能是俯仰角（超过 90 度）；已忽略。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="680" />
      <source>{0}={1} cannot be a tilt (beyond 90 degrees); taken as the horizontal field of view.</source>
      <translation>{0}={1} 不可能是俯仰角（超过 90 度）；按水平视场角处理。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="693" />
      <source>{0}={1}: an unusually high mount; check it.</source>
      <translation>{0}={1}：安装高度异常偏高，请核查。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="711" />
      <source>{0}={1}: {2} cameras, one per direction.</source>
      <translation>{0}={1}：{2} 台摄像机，每个朝向一台。</translation>
    </message>
    <message>
      <location filename="../grid_governance_plugin/core/coverage/importers.py" line="716" />
      <source>{0}={1}: {2}.</source>
      <translation>{0}={1}：{2}。</translation>
    </message>
  </context>
</TS>
