"""The dashboard's two languages: English and Chinese, the plan's own terms in Chinese.

Lever labels come from the scenario schema (its ``zh`` labels); chain names from each chain's
``label_zh``. Everything else the dashboard writes is here: fixed texts in :data:`TEXT`, lever
help lines in :data:`LEVER_HELP_ZH`, the scenarios' questions in :data:`SCENARIO_ZH`, Mesa's
run controls in :data:`MESA_TEXT`, units in :data:`UNITS_ZH`; values with their unit are
written by :func:`value_text` and amounts of money by :func:`money_text`.
:func:`chinese_texts` lists every Chinese string, for the web font's character subset.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
"""Language codes: English, Chinese."""

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
"""Each language in its own words (the language switch)."""

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
    "seed_band": ("Seed band: {n} seeds", "随机种子区间：{n}个随机种子"),
    "band_note": ("shaded: 5-95% of seeds {first}-{last}", "色带：随机种子{first}-{last}的5%-95%"),
    "band_help": ("Runs the scenario (and the reference) with this seed and the next ones over "
                  "all quarters, a few seconds at full scale; the shading is the 5th to 95th "
                  "percentile of those runs.",
                  "以本随机种子及其后的随机种子运行本情景（及基准）全部季度，全规模需数秒；"
                  "色带为各次模拟的5%-95%。"),
    "quarter_now": ("Simulated to", "已模拟至"),
    "not_started": ("Press Step or Play to simulate.", "点击“单步”或 ▶ 开始模拟。"),
    "credit": ("Runs on Mesa and Solara, offline.", "基于 Mesa 与 Solara，离线运行。"),
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
    "per_quarter": (" a quarter", "/季度"),
    "green": ("green", "绿色"),
    "flows": ("Innovation-factor flows, last four quarters", "创新要素流动（最近四个季度）"),
    "flows_from": ("sending", "流出"),
    "flows_to": ("receiving", "流入"),
    "flows_within": ("within {kind}", "{kind}内部"),
    "flows_within_chain": ("within chains", "产业链内部"),
    "flows_within_park": ("within parks", "园区内部"),
    "flows_rest": ("smaller links", "其余较小流动"),
    "flows_by_chain": ("Flows between chains, last four quarters",
                       "产业链之间的要素流动（最近四个季度）"),
    "flows_by_park": ("Flows between parks, last four quarters",
                      "园区之间的要素流动（最近四个季度）"),
    "outside_parks": ("Outside parks", "园区外"),
    "view.kind": ("By kind", "按主体类型"),
    "view.chain": ("By chain", "按产业链"),
    "view.park": ("By park", "按园区"),
    "view.network": ("Contract network", "产学研合作网络"),
    "contracts": ("contracts", "份合同"),
    "park_budget": ("Budget", "园区预算"),
    "land_price": ("Land price index", "地价指数"),
    "free_land": ("Free plots", "空余地块"),
    "park_partners": ("Institutes its tenants work with", "入驻企业合作的科研院所"),
    "no_partners": ("none yet", "暂无"),
    "institute_one": ("Institute", "院所"),
    "contracts_of": ("Contracts of {chain}", "{chain}的产学研合同"),
    "chain": ("Chain", "产业链"),
    "flowunit.technology": ("of value added it enables", "可支撑的增加值"),
    "flowunit.data": ("of digitalised value added", "数字化增加值"),
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
    "shares_note": ("Value-added weighted: green share in percent, digital level an index 0-1",
                    "按增加值加权：绿色产能占比（%），数字化水平指数 0-1"),
    "index": ("index 0-1", "指数 0-1"),
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
    "0-1": "比例 0-1",
    "percent": "%",
    "percent of GDP": "占GDP %",
    "percentage points": "百分点",
    "100m yuan/year": "亿元/年",
    "10k t CO2/year": "万吨CO2/年",
    "10k tce/year": "万吨标煤/年",
    "persons/quarter": "人/季度",
    "year": "年",
    "1": "系数",
    "1/year": "/年",
    "persons/year": "人/年",
    "persons": "人",
    "firms/year": "家/年",
    "firms": "家",
    "centres/year": "个/年",
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

LEVER_HELP_ZH: dict[str, str] = {
    "rd_subsidy": "政府补助企业研发费用的比例",
    "rd_subsidy_response": "每单位补助率带来的企业研发投入倾向提高",
    "talent_introduction": "人才计划每年引进的研发人员",
    "graduates": "每年进入工业研发岗位的高校毕业生",
    "credit_supply": "银行信贷供给相对正常水平的倍数",
    "sme_credit_access": "中小微企业授信额度相对大企业的比例",
    "seedling_quota": "每年认定的专精特新企业数（按 7,100 家企业折算）",
    "seedling_support": "每家专精特新企业每年获得的扶持（占其增加值的比例）",
    "little_giant_quota": "每年从专精特新企业中认定的小巨人企业数",
    "leading_per_chain": "每条产业链认定的龙头企业数",
    "design_centres_new": "每年新增的市级工业设计中心",
    "innovation_centres_new": "每年新增的制造业创新中心",
    "coupling": "双链融合：科研院所按产业链需求开展研究的比例",
    "institute_funding": "政府对科研院所的年度经费",
    "institute_funding_growth": "科研院所经费的年增长率",
    "promoted_investment": "每年落地的招商引资（稳投资）项目产值",
    "carbon_price": "企业为排放支付的碳价",
    "green_subsidy": "绿色化改造成本的补贴比例",
    "green_infrastructure": "园区绿色基础设施水平的年提升",
    "digital_support": "智能化（数字化）改造成本的补贴比例",
    "digital_infrastructure": "园区数字基础设施（新基建）水平的年提升",
    "park_services": "园区综合服务水平的年提升",
    "incubation": "科研院所孵化器能力相对当前的倍数",
}
"""Chinese help lines of the policy levers (the schema's ``help`` is English)."""

SCENARIO_ZH: dict[str, tuple[str, str]] = {
    "baseline": ("基准情景",
        "按现行政策，重庆工业到 2035 年走向何方？（2021-2"
        "035 年，含 2022 年高温干旱与有序用电）"),
    "hindcast_2017": ("2017 年回测",
        "从 2017 年的重庆出发，给定 2018 年汽车业下滑，校准后的模型能否重现 "
        "2018-2019 年？（回测，不重新拟合）"),
    "auto_shock": ("汽车需求冲击",
        "如果汽车需求像 2018 年重庆汽车业下滑那样骤降 17%，"
        "而且发生在 2024 年，会怎样？"),
    "chongqing_2022_plan": ("2022 年规划目标",
        "按 2022 年规划的既定数字：每年 300 家专精特新企业"
        "、30 家以上设计中心、3 家以上创新中心、1,300 亿元"
        "招商引资，能实现什么？"),
    "coupling_full": ("双链全面融合",
        "如果科研院所的研究全部按产业链需求开展（双链全面融合），会怎"
        "样？"),
    "coupling_off": ("双链不融合",
        "如果科研院所只按自身兴趣研究、不顾产业链需求（双链不融合），"
        "会怎样？"),
    "finance_squeeze": ("信贷收紧",
        "如果 2024-2025 年银行信贷收紧 30%、小企业受冲"
        "击最大，会怎样？"),
    "green_parks": ("绿色园区准入",
        "如果园区只接纳绿色企业、并为主导产业链预留五分之一的土地，"
        "会怎样？"),
    "green_push": ("绿色加力",
        "如果绿色政策真正加力：碳价 150 元/吨、绿色改造补贴 2"
        "0%、园区加快绿色化，会怎样？"),
    "innovation_push": ("创新加力",
        "如果全市加码创新：研发补助、院所经费、创新中心和孵化器全面提"
        "升，会怎样？"),
    "low_carbon_grid": ("电网低碳化",
        "如果电网脱碳速度提高到三倍（市外输入更多水电、风电和光伏），"
        "会怎样？"),
    "seedling_double": ("专精特新倍增",
        "如果在 2022 年规划基础上专精特新培育翻倍：每年 600"
        " 家专精特新企业、80 家小巨人，会怎样？"),
    "talent_magnet": ("人才高地",
        "如果重庆成为人才高地：引进研发人员增至三倍、留在工业的毕业生"
        "增加 40%，会怎样？"),
    "no_technology": ("无技术进步（对照）",
        "如果任何因素都不能改变生产率，增长核算会得出什么？（技术来源全部"
        "关闭、无市场选择、外部世界不变）"),
    "levers_off": ("无创新政策（对照）",
        "如果没有创新政策：没有研发补助、双链融合、人才引进、院所经费、"
        "专精特新培育和新建中心，会怎样？"),
    "factor_push": ("要素推动（对照）",
        "如果只靠要素投入推动增长：银行信贷翻倍、招商引资增至五倍，而创新"
        "政策全部关闭，会怎样？"),
    "flat_world": ("外部不变的世界（对照）",
        "在任何外部趋势都不存在时，向创新驱动的转变是否仍会出现？（外部路"
        "径全部不变、没有定时事件）"),
    "balanced_start": ("平衡增长起点（对照）",
        "如果经济从平衡增长起步（没有资本缺口、没有追赶空间），创新贡献率"
        "还会变化吗？"),
    "calibrated": ("校准参数",
        "用按重庆 2021-2022 年数据拟合的参数，模型给出什么"
        "结果？（基于基准情景）"),
}
"""Chinese name and question of each shipped scenario (their files hold the English)."""

MESA_TEXT: dict[str, str] = {
    "Controls": "运行控制",
    "Play Interval (ms)": "播放间隔（毫秒）",
    "Render Interval (steps)": "每次重绘的季度数",
    "Use Threads": "使用多线程",
    "Increase play interval to avoid skipping plots": "请增大播放间隔，以免图表跳帧",
    "Reset": "重置",
    "Step": "单步",
    "Model Parameters": "模型参数",
    "Information": "运行信息",
    "Command Console": "命令控制台",
}
"""Chinese for the texts of Mesa's SolaraViz sidebar (written in English by Mesa)."""

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


def lever_help(name: str, help_en: str, lang: str) -> str:
    """A lever's help line in ``lang`` (the English one where no translation exists)."""
    return LEVER_HELP_ZH.get(name, help_en) if lang == "zh" else help_en


def scenario_label(name: str, lang: str) -> str:
    """A scenario as the picker lists it: its Chinese name in Chinese, its file name in English."""
    if lang == "zh" and name in SCENARIO_ZH:
        return f"{SCENARIO_ZH[name][0]}（{name}）"
    return name


def scenario_question(name: str, question_en: str, lang: str) -> str:
    """The question a scenario answers, in ``lang``."""
    if lang == "zh" and name in SCENARIO_ZH:
        return SCENARIO_ZH[name][1]
    return question_en


def mesa_text(text: str, lang: str) -> str:
    """One of Mesa's sidebar texts in ``lang``."""
    return MESA_TEXT.get(text, text) if lang == "zh" else text


def _number(value: float, digits: int = 3) -> str:
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def money_text(amount: float, lang: str) -> str:
    """An amount given in 100 million yuan, in yuan: '1.6 billion yuan', '16 亿元'."""
    yuan = float(amount) * 1e8
    if lang == "zh":
        if abs(yuan) >= 1e8:
            return f"{_number(amount)} 亿元"
        if abs(yuan) >= 1e4:
            return f"{_number(yuan / 1e4)} 万元"
        return f"{_number(yuan)} 元"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(yuan) >= size:
            return f"{_number(yuan / size)} {word} yuan"
    return f"{_number(yuan)} yuan"


def _count(value: float, one: str, many: str) -> str:
    return f"{_number(value)} {one if value == 1 else many}"


def value_text(value: float, unit: str, lang: str) -> str:
    """A lever value with its unit in words: '0.50 (share)', '0.02 of VA a year',
    '1 centre a year', '1.6 billion yuan a year'; other units as 'value unit'.
    """
    v = float(value)
    zh = lang == "zh"
    if unit == "0-1":
        return f"{v:.2f}（比例）" if zh else f"{v:.2f} (share)"
    if unit == "1":
        return f"{v:.2f}（系数）" if zh else f"{v:.2f} (factor)"
    if unit == "0-1 of VA/year":
        return f"每年增加值的 {v:.2f}" if zh else f"{v:.2f} of VA a year"
    if unit == "1/year":
        return f"每年 {_number(v)}" if zh else f"{_number(v)} a year"
    if unit == "100m yuan/year":
        return f"每年 {money_text(v, lang)}" if zh else f"{money_text(v, lang)} a year"
    if unit == "yuan/t CO2":
        return f"{_number(v)} 元/吨CO2" if zh else f"{_number(v)} yuan per t CO2"
    counts = {"persons/year": ("person", "persons", "人"), "firms/year": ("firm", "firms", "家"),
              "centres/year": ("centre", "centres", "个")}
    if unit in counts:
        one, many, word = counts[unit]
        return f"每年 {_number(v)} {word}" if zh else f"{_count(v, one, many)} a year"
    if unit == "firms":
        return f"{_number(v)} 家" if zh else _count(v, "firm", "firms")
    return f"{_number(v)} {unit_label(unit, lang)}".strip()


def chain_label(name: str, label_zh: str, lang: str) -> str:
    """A chain's name: its ``label_zh`` in Chinese, the humanized identifier in English."""
    if lang == "zh" and label_zh:
        return label_zh
    return {"nev": "NEV", "ic_display": "ICs and displays"}.get(name) or humanize(name)


def quarter_label(year: int, quarter: int) -> str:
    """``2021Q1``: the label of a quarter on time axes (the same in both languages)."""
    return f"{int(year)}Q{int(quarter)}"


def chinese_texts() -> list[str]:
    """Every Chinese string the dashboard can show (for the web font's character subset)."""
    from chainshift.scenarios.loader import available, load_scenario
    from chainshift.scenarios.schema import parameters

    out = [zh for _, zh in TEXT.values()] + list(LANGUAGE_NAMES.values())
    out += [*UNITS_ZH.values(), *LEVER_ZH.values(), *LEVER_HELP_ZH.values(), *MESA_TEXT.values()]
    out += [part for pair in SCENARIO_ZH.values() for part in pair]
    out += [p["zh"] for p in parameters() if p.get("zh")]
    for name in available():
        out += [c.label_zh for c in load_scenario(name).chains if c.label_zh]
    out += [value_text(1.0, u, "zh") for u in ("0-1", "1", "0-1 of VA/year", "1/year",
                                                 "100m yuan/year", "yuan/t CO2",
                                                 "persons/year", "firms/year",
                                                 "centres/year", "firms")]
    out += [money_text(x, "zh") for x in (1.0, 1e-3, 1e-6)]
    out.append("（）：，、。“”·%0123456789")
    return out
