"""The dashboard's two languages: English and Chinese, the plan's own terms in Chinese.

Lever labels come from the scenario schema (its ``zh`` labels); chain names from each chain's
``label_zh``. Everything else the dashboard writes is in :data:`TEXT`, keyed by a short name.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
"""Language codes: English, Chinese."""

TEXT: dict[str, tuple[str, str]] = {
    # page and sidebar
    "title": ("chainshift: industrial transition workshop", "chainshift 产业转型政策推演"),
    "language": ("Language", "语言"),
    "scenario": ("Scenario", "情景"),
    "levers": ("Policy levers", "政策工具"),
    "levers_note": ("Changes rerun the model from the start to the current quarter.",
                    "修改后模型从起点重算至当前季度。"),
    "reset_levers": ("Scenario values", "恢复情景设定"),
    "changed": ("changed", "已调整"),
    "whatif": ("What-if", "情景对比"),
    "compare_with": ("Compare with a reference run", "与基准情景对比"),
    "reference": ("Reference", "基准"),
    "ref_suffix": ("reference", "基准"),
    "dashed_reference": ("dashed: reference", "虚线：基准"),
    "whatif_note": ("Same seed for both runs; the reference is drawn dashed.",
                    "两次模拟使用相同随机种子；基准为虚线。"),
    "seed_label": ("Random seed (applies on Reset)", "随机种子（重置后生效）"),
    "quarter_now": ("Simulated to", "已模拟至"),
    "not_started": ("Press Step or Play to simulate.", "点击 Step 或 ▶ 开始模拟。"),
    # panels
    "growth": ("Industrial value-added growth", "规上工业增加值增速"),
    "target": ("Target", "目标"),
    "accounting": ("Growth accounting", "增长核算"),
    "emissions": ("CO2 and carbon intensity", "二氧化碳排放与碳排放强度"),
    "peak": ("Peak", "达峰"),
    "shares": ("Green and digital shares", "绿色化与数字化水平"),
    "firms": ("High-tech and specialized-and-new firms", "高新技术企业与专精特新企业"),
    "map": ("Industrial parks", "产业园区"),
    "map_hint": ("Click a park to see its tenants by chain.", "点击园区查看各产业链入驻企业。"),
    "park": ("Park", "园区"),
    "tenants": ("Tenants by chain", "入驻企业（按产业链）"),
    "output": ("output", "产值"),
    "green": ("green", "绿色"),
    "flows": ("Innovation-factor flows, last four quarters", "创新要素流动（最近四个季度）"),
    "gap": ("What-if gap", "情景差异"),
    "gap_off": ("Switch on What-if in the sidebar to compare two runs.",
                "在侧栏开启情景对比以比较两次模拟。"),
    "indicator": ("Indicator", "指标"),
    "unit": ("Unit", "单位"),
    "run": ("This run", "本情景"),
    "difference": ("Gap", "差值"),
    "difference_pct": ("Gap %", "差值 %"),
    "innovation_year": ("Innovation share stays above 50% from", "创新贡献率稳定超过50%的年份"),
    "peak_year": ("Emission peak year", "碳排放达峰年份"),
    "export": ("Export", "导出"),
    "export_csv": ("Indicators (CSV)", "指标数据（CSV）"),
    "export_brief": ("One-page brief (HTML)", "一页简报（HTML）"),
    "brief_title": ("chainshift brief", "chainshift 政策简报"),
    "lever_changes": ("Levers changed from the scenario", "相对情景调整的政策工具"),
    "none": ("none", "无"),
    "year": ("year", "年"),
    "quarter": ("quarter", "季度"),
    "seed": ("seed", "随机种子"),
    "enterprises_short": ("enterprises", "家企业"),
    "total": ("total", "合计"),
    "unit.yoy": ("% on the same quarter a year before", "同比增长 %"),
    "unit.pp": ("pp", "百分点"),
    "unit.co2": ("10k t/quarter", "万吨/季度"),
    "unit.carbon_intensity": ("t/10k yuan", "吨/万元"),
    "unit.firms": ("firms", "家"),
    "accounting_note": ("Contributions to growth over the last four quarters, pp; innovation "
                        "share of the last five years (right axis)",
                        "对增长的贡献（百分点）；创新驱动贡献率（右轴）"),
    "shares_note": ("Value-added weighted, %", "按增加值加权，%"),
    # capabilities (the plan's five)
    "cap.coordination": ("Coordination", "统筹发展能力"),
    "cap.digital": ("Digital (intelligence into data)", "数字赋能能力"),
    "cap.green": ("Green", "绿色发展能力"),
    "cap.factor_supply": ("Factor supply", "要素保障能力"),
    "cap.services": ("Services", "综合服务能力"),
    # indicators
    "ind.value_added": ("Industrial value added", "规上工业增加值"),
    "ind.value_added_growth": ("Value-added growth", "增加值增速"),
    "ind.investment_growth": ("Industrial investment growth", "工业投资增速"),
    "ind.capital_contribution": ("Capital", "资本"),
    "ind.labour_contribution": ("Labour", "劳动"),
    "ind.rd_staff_contribution": ("R&D staff", "研发人员"),
    "ind.tfp_contribution": ("TFP (innovation)", "全要素生产率（创新）"),
    "ind.innovation_share": ("Innovation share of growth", "创新驱动贡献率"),
    "ind.rd_intensity": ("R&D intensity", "研发投入强度"),
    "ind.co2": ("CO2 emissions", "二氧化碳排放"),
    "ind.carbon_intensity": ("Carbon intensity", "碳排放强度"),
    "ind.energy_intensity": ("Energy intensity", "能耗强度"),
    "ind.green_share": ("Green share of capacity", "绿色产能占比"),
    "ind.digital_level": ("Digital level", "数字化水平"),
    "ind.high_tech": ("High-tech enterprises", "高新技术企业"),
    "ind.specialized_new": ("Specialized-and-new firms", "专精特新企业"),
    "ind.little_giants": ("Little giants", "小巨人企业"),
    "ind.enterprises": ("Enterprises above designated size", "规上工业企业"),
    "ind.strategic_emerging_share": ("Strategic emerging industries", "战略性新兴产业占比"),
    "ind.park_output_share": ("Output inside parks", "园区产值占比"),
    # flow factors and agent kinds
    "factor.talent": ("Talent", "人才"),
    "factor.capital": ("Capital", "资本"),
    "factor.technology": ("Technology", "技术"),
    "factor.data": ("Data", "数据"),
    "kind.enterprise": ("Enterprises", "企业"),
    "kind.institute": ("Institutes", "科研院所"),
    "kind.park": ("Parks", "园区"),
    "kind.government": ("Government", "政府"),
    "kind.finance": ("Finance", "金融机构"),
    "parkkind.national_high_tech": ("national high-tech zone", "国家级高新区"),
    "parkkind.national_economic": ("national economic zone", "国家级经开区"),
    "parkkind.municipal": ("municipal park", "市级园区"),
}
"""Every fixed text of the dashboard: key -> (English, Chinese)."""

UNITS_ZH: dict[str, str] = {
    "0-1": "0-1",
    "1": "系数",
    "1/year": "/年",
    "persons/year": "人/年",
    "persons": "人",
    "firms/year": "家/年",
    "firms": "家",
    "centres/year": "个/年",
    "100m yuan/year": "亿元/年",
    "100m yuan": "亿元",
    "100m yuan of capacity": "亿元产能",
    "100m yuan of digitalised value added": "亿元数字化增加值",
    "yuan/t CO2": "元/吨CO2",
    "0-1 of VA/year": "占增加值比例/年",
    "%": "%",
    "pp": "百分点",
    "count": "家",
    "10k t CO2/quarter": "万吨CO2/季度",
    "t CO2/10k yuan": "吨CO2/万元",
    "tce/10k yuan": "吨标煤/万元",
    "100m yuan/quarter": "亿元/季度",
}
"""Chinese for the units the dashboard shows (others are shown as written)."""

LEVER_ZH: dict[str, str] = {
    "rd_subsidy_response": "研发补助激励效应",
    "graduates": "高校毕业生供给",
    "sme_credit_access": "中小企业融资可得性",
    "seedling_support": "专精特新扶持力度",
    "institute_funding": "科研院所财政经费",
    "institute_funding_growth": "科研经费增速",
}
"""Chinese labels for levers whose schema entry has none."""

ACRONYMS = {"rd": "R&D", "sme": "SME", "co2": "CO2", "va": "VA"}


def tr(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` ("en" or "zh"); the key itself if it is unknown."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "zh" else pair[0]


def humanize(name: str) -> str:
    """An English label from a parameter name: ``rd_subsidy`` -> ``R&D subsidy``."""
    words = [ACRONYMS.get(w, w) for w in name.split("_")]
    first = words[0] if words[0] in ACRONYMS.values() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def lever_label(name: str, zh: str | None, lang: str) -> str:
    """A lever's label: the schema's Chinese term in Chinese, else a humanized field name."""
    if lang == "zh":
        return zh or LEVER_ZH.get(name) or humanize(name)
    return humanize(name)


def unit_label(unit: str, lang: str) -> str:
    """A unit as shown in ``lang``."""
    if lang == "zh":
        return UNITS_ZH.get(unit, unit)
    return unit


def chain_label(name: str, label_zh: str, lang: str) -> str:
    """A chain's name: its ``label_zh`` in Chinese, the humanized identifier in English."""
    if lang == "zh" and label_zh:
        return label_zh
    return {"nev": "NEV", "ic_display": "ICs and displays"}.get(name) or humanize(name)


def quarter_label(year: int, quarter: int) -> str:
    """``2021Q1``: the label of a quarter on time axes (the same in both languages)."""
    return f"{int(year)}Q{int(quarter)}"
