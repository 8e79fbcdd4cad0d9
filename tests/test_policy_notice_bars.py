"""The alternative reading of the Apr 2025 licence requirement (issue 11): the lower DRAM / I/O bars
of Intel's notice to its Chinese customers, offered as the regime 'apr-2025-notice-bars'."""

from __future__ import annotations

import datetime as dt

from core.catalog import load_catalog
from core.policy import evaluate_pool, get_regime, load_regimes
from core.scenario import Pool
from tests.policy_chips import CHIPS, chip

D = dt.date
REGIME = "apr-2025-notice-bars"
# datacenter chips below 3A090 (TPP < 1,600) that only the notice's bars catch
WIDE_DRAM = chip("X-DRAM-1600", bf16=50, scaleup=64, hbm=1.6)  # DRAM 1,600 >= 1,400
SUM_ONLY = chip("X-SUM-1800", bf16=50, scaleup=800, hbm=1.0)  # 1,000 + 800 >= 1,700, each below its bar
BELOW = chip("X-BELOW", bf16=50, scaleup=600, hbm=1.05)  # 1,650 < 1,700, each below its bar


def _pool(c, site="CN-West", acquired=None, access="own"):
    return Pool(name="p", accelerator=c.id, count=100, site=site, access=access, acquired=acquired)


def test_the_regime_is_a_preset_with_its_source():
    regime = load_regimes()[REGIME]
    assert "R7" not in regime.rule_ids() and "R7-notice-bars" in regime.rule_ids()
    rule = regime.rule("R7-notice-bars")
    assert rule.status == "reading" and "2025-04-16" in rule.source and "Intel" in rule.source
    assert "R7-notice-bars" not in get_regime("in-force").rule_ids()


def test_only_the_notice_bars_catch_a_chip_below_the_h20():
    for c in (WIDE_DRAM, SUM_ONLY):
        base = evaluate_pool(_pool(c), c, "CN", D(2025, 6, 1), "in-force")
        alt = evaluate_pool(_pool(c), c, "CN", D(2025, 6, 1), REGIME)
        assert base.status == "usable", base.explanation()
        assert alt.status == "needs_license" and alt.decisive_rule == "R7-notice-bars", alt.explanation()
    summed = evaluate_pool(_pool(SUM_ONLY), SUM_ONLY, "CN", D(2025, 6, 1), REGIME)
    assert "memory + interconnect bandwidth 1,800 GB/s ≥ 1,700 GB/s" in summed.explanation()
    below = evaluate_pool(_pool(BELOW), BELOW, "CN", D(2025, 6, 1), REGIME)
    assert below.status == "usable", below.explanation()
    # before the letter, and outside China/D:5 for a non-Chinese buyer, nothing changes
    assert evaluate_pool(_pool(WIDE_DRAM), WIDE_DRAM, "CN", D(2025, 4, 8), REGIME).status == "usable"
    assert evaluate_pool(_pool(WIDE_DRAM, site="DE-Frankfurt"), WIDE_DRAM, "DE", D(2025, 6, 1), REGIME).status == "usable"
    # the HQ leg, as R7
    sg = evaluate_pool(_pool(WIDE_DRAM, site="SG-Jurong"), WIDE_DRAM, "CN", D(2025, 6, 1), REGIME)
    assert sg.decisive_rule == "R7-notice-bars"


def test_h20_routes_are_the_same_under_both_readings():
    h20 = CHIPS["H20"]
    for date, rule, share in ((D(2025, 5, 1), "R7-notice-bars", 0), (D(2025, 9, 1), "R9", 15), (D(2026, 3, 1), "R15", 0)):
        alt = evaluate_pool(_pool(h20), h20, "CN", date, REGIME)
        base = evaluate_pool(_pool(h20), h20, "CN", date, "in-force")
        assert alt.decisive_rule == rule and alt.revenue_share_pct == share, alt.explanation()
        assert base.status == alt.status and base.revenue_share_pct == alt.revenue_share_pct
    # R15 replaces the notice-bars leg too (the modifier lists it)
    later = evaluate_pool(_pool(WIDE_DRAM), WIDE_DRAM, "CN", D(2026, 3, 1), REGIME)
    assert later.decisive_rule == "R15" and "R7-notice-bars" not in later.rules_applied


def test_catalog_chip_at_the_bar_with_an_unsourced_interconnect_is_not_evaluated():
    cat = {a.id: a for a in load_catalog().accelerators}
    d6000 = cat["RTX-Pro-6000D"]  # 1,398 GB/s: just under the 1,400 bar; interconnect not in the catalog
    res = evaluate_pool(_pool(d6000), d6000, "CN", D(2025, 8, 1), REGIME)
    assert "R7-notice-bars" in res.unevaluated
    assert "interconnect" in next(r for r in res.reasons if r.startswith("R7-notice-bars"))
