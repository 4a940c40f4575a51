import pytest

from chainshift.scenarios.schema import CAPABILITIES, default_chains, parameters
from chainshift.viz.i18n import (
    TEXT,
    chain_label,
    humanize,
    lever_label,
    quarter_label,
    tr,
    unit_label,
)


def test_tr_picks_the_language_and_falls_back_to_the_key():
    assert tr("peak", "en") == "Peak"
    assert tr("peak", "zh") == "达峰"
    assert tr("no-such-key", "zh") == "no-such-key"


def test_every_text_has_both_languages():
    for key, (en, zh) in TEXT.items():
        assert en.strip() and zh.strip(), key


def test_every_capability_has_a_name_in_both_languages():
    for cap in CAPABILITIES:
        assert f"cap.{cap}" in TEXT


def test_humanize_spells_out_acronyms():
    assert humanize("rd_subsidy") == "R&D subsidy"
    assert humanize("sme_credit_access") == "SME credit access"
    assert humanize("carbon_price") == "Carbon price"


def test_lever_label_uses_the_schema_term_in_chinese():
    assert lever_label("coupling", "双链融合", "zh") == "双链融合"
    assert lever_label("coupling", "双链融合", "en") == "Coupling"


def test_every_policy_lever_has_a_chinese_label():
    for p in parameters():
        if p["key"].startswith("policy.") and p.get("capability"):
            label = lever_label(p["name"], p.get("zh"), "zh")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), p["name"]


def test_chain_labels_come_from_label_zh():
    for chain in default_chains():
        assert chain_label(chain.name, chain.label_zh, "zh") == chain.label_zh
    assert chain_label("automobile", "汽车", "en") == "Automobile"


def test_units_and_quarters():
    assert unit_label("persons/year", "zh") == "人/年"
    assert unit_label("persons/year", "en") == "persons/year"
    assert unit_label("furlongs", "zh") == "furlongs"
    assert quarter_label(2022, 3) == "2022Q3"


def test_every_policy_lever_has_a_chinese_help_line():
    from chainshift.viz.i18n import LEVER_HELP_ZH, lever_help
    from chainshift.viz.levers import policy_levers

    names = [lv.name for lv in policy_levers()]
    assert set(LEVER_HELP_ZH) == set(names)
    for lv in policy_levers():
        assert lever_help(lv.name, lv.help, "en") == lv.help
        assert any(ord(c) > 0x4E00 for c in lever_help(lv.name, lv.help, "zh"))


def test_every_shipped_scenario_has_a_chinese_name_and_question():
    from chainshift.scenarios.loader import available
    from chainshift.viz.i18n import SCENARIO_ZH, scenario_label, scenario_question

    assert set(available()) <= set(SCENARIO_ZH)
    assert scenario_label("baseline", "zh") == "基准情景（baseline）"
    assert scenario_label("baseline", "en") == "baseline"
    assert scenario_question("baseline", "English?", "en") == "English?"
    assert scenario_question("baseline", "English?", "zh").startswith("按现行政策")


@pytest.mark.parametrize(("value", "unit", "en", "zh"), [
    (0.5, "0-1", "0.50 (share)", "0.50（比例）"),
    (0.02, "0-1 of VA/year", "0.02 of VA a year", "每年增加值的 0.02"),
    (1, "centres/year", "1 centre a year", "每年 1 个"),
    (20, "centres/year", "20 centres a year", "每年 20 个"),
    (6000, "persons/year", "6,000 persons a year", "每年 6,000 人"),
    (160, "100m yuan/year", "16 billion yuan a year", "每年 160 亿元"),
    (50, "yuan/t CO2", "50 yuan per t CO2", "50 元/吨CO2"),
    (0.04, "1/year", "0.04 a year", "每年 0.04"),
    (1.2, "1", "1.20 (factor)", "1.20（系数）"),
    (5, "firms", "5 firms", "5 家"),
    (3, "quarters", "3 quarters", "3 quarters"),
])
def test_lever_values_read_as_words(value, unit, en, zh):
    from chainshift.viz.i18n import value_text

    assert value_text(value, unit, "en") == en
    assert value_text(value, unit, "zh") == zh


def test_money_is_written_in_yuan():
    from chainshift.viz.i18n import money_text

    assert money_text(70.68, "en") == "7.07 billion yuan"
    assert money_text(0.05, "en") == "5 million yuan"
    assert money_text(70.68, "zh") == "70.7 亿元"
    assert money_text(0.05, "zh") == "500 万元"


def test_mesa_texts_are_translated_only_in_chinese():
    from chainshift.viz.i18n import mesa_text

    assert mesa_text("Controls", "zh") == "运行控制"
    assert mesa_text("Controls", "en") == "Controls"
    assert mesa_text("Random seed", "zh") == "Random seed"  # not Mesa's: unchanged
