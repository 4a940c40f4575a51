from scenarios.schema import CAPABILITIES, default_chains, parameters
from viz.i18n import TEXT, chain_label, humanize, lever_label, quarter_label, tr, unit_label


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
