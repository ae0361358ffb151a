"""The seed responsibility list (权责清单): a 数字城管 category list after GB/T 30428.2.

Codes: ``BJ`` = 部件 (city components), ``SJ`` = 事件 (events); then 2-digit major and
2-digit minor class. Each row: code, kind, major (大类), minor (小类), department,
level that handles it first, and deadline hours per step (立案, 派遣, 处置, 核查).
Migration 003 seeds the same rows into PostGIS; a test checks they agree.
"""

from __future__ import annotations

DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    # code, name, level
    ("SZ", "市政管理所", "district"),
    ("CGZF", "城管执法队", "street"),
    ("HW", "环卫所", "street"),
    ("YL", "绿化市容所", "district"),
    ("JT", "交通运输局", "district"),
    ("SW", "水务局", "district"),
    ("GD", "供电公司", "district"),
    ("RQ", "燃气公司", "district"),
    ("ZJ", "住房建设局", "district"),
    ("SCJG", "市场监管所", "street"),
    ("GA", "公安派出所", "street"),
    ("JDB", "街道办事处", "street"),
    ("SQ", "社区居委会", "community"),
)

# code, kind, major, minor, department, level, register_h, dispatch_h, handle_h, verify_h
CATEGORIES: tuple[tuple[str, str, str, str, str, str, float, float, float, float], ...] = (
    ("BJ0101", "component", "公用设施", "上水井盖", "SW", "district", 1, 1, 24, 4),
    ("BJ0102", "component", "公用设施", "污水井盖", "SW", "district", 1, 1, 24, 4),
    ("BJ0103", "component", "公用设施", "雨水井盖", "SW", "district", 1, 1, 24, 4),
    ("BJ0106", "component", "公用设施", "电力井盖", "GD", "district", 1, 1, 24, 4),
    ("BJ0110", "component", "公用设施", "燃气井盖", "RQ", "district", 1, 1, 12, 4),
    ("BJ0114", "component", "公用设施", "消防栓", "SZ", "district", 1, 2, 48, 4),
    ("BJ0117", "component", "公用设施", "路灯", "SZ", "district", 2, 2, 72, 8),
    ("BJ0201", "component", "道路交通", "交通信号灯", "JT", "district", 1, 1, 12, 4),
    ("BJ0204", "component", "道路交通", "交通标志牌", "JT", "district", 2, 2, 72, 8),
    ("BJ0208", "component", "道路交通", "道路护栏", "SZ", "district", 2, 2, 72, 8),
    ("BJ0213", "component", "道路交通", "公交站亭", "JT", "district", 2, 2, 72, 8),
    ("BJ0301", "component", "市容环境", "公共厕所", "HW", "street", 2, 2, 24, 4),
    ("BJ0304", "component", "市容环境", "垃圾箱", "HW", "street", 2, 2, 24, 4),
    ("BJ0306", "component", "市容环境", "广告牌匾", "CGZF", "street", 2, 2, 72, 8),
    ("BJ0401", "component", "园林绿化", "古树名木", "YL", "district", 2, 2, 72, 8),
    ("BJ0403", "component", "园林绿化", "行道树", "YL", "district", 2, 2, 72, 8),
    ("BJ0405", "component", "园林绿化", "绿地", "YL", "district", 2, 2, 72, 8),
    ("BJ0501", "component", "房屋土地", "宣传栏", "SQ", "community", 2, 2, 72, 8),
    ("BJ0601", "component", "其他设施", "健身设施", "SQ", "community", 2, 2, 72, 8),
    ("SJ0101", "event", "市容环境", "私搭乱建", "CGZF", "street", 2, 2, 120, 8),
    ("SJ0102", "event", "市容环境", "暴露垃圾", "HW", "community", 1, 1, 4, 2),
    ("SJ0103", "event", "市容环境", "积存垃圾渣土", "HW", "community", 1, 1, 8, 2),
    ("SJ0104", "event", "市容环境", "道路不洁", "HW", "community", 1, 1, 4, 2),
    ("SJ0105", "event", "市容环境", "水域不洁", "SW", "district", 2, 2, 24, 4),
    ("SJ0106", "event", "市容环境", "绿地脏乱", "YL", "street", 2, 2, 24, 4),
    ("SJ0109", "event", "市容环境", "焚烧垃圾树叶", "CGZF", "community", 1, 1, 2, 2),
    ("SJ0201", "event", "宣传广告", "非法小广告", "CGZF", "community", 1, 1, 8, 2),
    ("SJ0202", "event", "宣传广告", "违章张贴悬挂广告牌匾", "CGZF", "street", 2, 2, 48, 4),
    ("SJ0301", "event", "施工管理", "施工扰民", "ZJ", "street", 1, 1, 8, 4),
    ("SJ0302", "event", "施工管理", "工地扬尘", "ZJ", "street", 1, 1, 8, 4),
    ("SJ0303", "event", "施工管理", "道路破损", "SZ", "district", 2, 2, 72, 8),
    ("SJ0304", "event", "施工管理", "违规占道施工", "CGZF", "street", 1, 1, 24, 4),
    ("SJ0401", "event", "突发事件", "路面塌陷", "SZ", "district", 0.5, 0.5, 4, 2),
    ("SJ0402", "event", "突发事件", "自来水管破裂", "SW", "district", 0.5, 0.5, 4, 2),
    ("SJ0403", "event", "突发事件", "燃气管道破裂", "RQ", "district", 0.25, 0.25, 2, 2),
    ("SJ0405", "event", "突发事件", "道路积水", "SW", "district", 0.5, 0.5, 6, 2),
    ("SJ0501", "event", "街面秩序", "无照经营游商", "CGZF", "community", 1, 1, 4, 2),
    ("SJ0502", "event", "街面秩序", "店外经营", "CGZF", "community", 1, 1, 8, 2),
    ("SJ0503", "event", "街面秩序", "机动车乱停放", "GA", "community", 1, 1, 4, 2),
    ("SJ0504", "event", "街面秩序", "非机动车乱停放", "SQ", "community", 1, 1, 8, 2),
    ("SJ0505", "event", "街面秩序", "占道废品收购", "CGZF", "community", 1, 1, 8, 2),
    ("SJ0507", "event", "街面秩序", "露天烧烤", "CGZF", "community", 1, 1, 4, 2),
    ("SJ0601", "event", "其他事件", "噪声扰民", "GA", "community", 1, 1, 8, 2),
    ("SJ0602", "event", "其他事件", "餐饮油烟", "SCJG", "street", 2, 2, 48, 4),
    ("SJ0603", "event", "其他事件", "群租房隐患", "SQ", "community", 2, 2, 72, 8),
    ("SJ0604", "event", "其他事件", "消防通道堵塞", "SQ", "community", 1, 1, 8, 2),
)

CATEGORY_CODES = tuple(row[0] for row in CATEGORIES)

# The unit of each category's deadlines (the closed-loop migration): working hours (工作时) unless
# listed; 突发事件 run round the clock in calendar hours (自然时).
TIME_UNITS: dict[str, str] = {code: "calendar_hours" for code in ("SJ0401", "SJ0402", "SJ0403", "SJ0405")}


def time_unit(code: str) -> str:
    return TIME_UNITS.get(code, "working_hours")
