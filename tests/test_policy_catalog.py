"""The headline rule cases again, on the shipped catalog rather than test fixtures: the rule
files name chips by catalog id and read catalog metrics, so the two must agree."""

from __future__ import annotations

import datetime as dt

import pytest

from core.catalog import get_accelerator
from core.policy import evaluate_pool
from core.scenario import PolicySettings, Pool

D = dt.date


def status(chip_id, day, access="own", site="CN", hq="CN", acquired=None, regime="in-force", **settings):
    pool = Pool(accelerator=chip_id, count=8, site=site, access=access, acquired=acquired)
    return evaluate_pool(pool, get_accelerator(chip_id), hq, day, regime, PolicySettings(**settings))


@pytest.mark.parametrize("chip", ["A800-SXM-80GB", "H800-SXM"])
def test_cut_nvlink_chips_pass_2022_fail_2023(chip):
    assert status(chip, D(2023, 1, 1)).status == "usable"
    assert status(chip, D(2024, 1, 1), acquired=D(2024, 1, 1)).status == "blocked"
    grandfathered = status(chip, D(2024, 1, 1), access="stockpile", acquired=D(2023, 6, 1))
    assert grandfathered.status == "usable" and grandfathered.grandfathered


def test_h20_timeline_on_the_catalog():
    assert status("H20", D(2024, 6, 1)).status == "usable"
    april = status("H20", D(2025, 5, 1))
    assert april.status == "needs_license"
    august = status("H20", D(2025, 9, 1))
    assert august.status == "needs_license" and august.revenue_share_pct == 15


def test_rtx_4090d_stays_below_4800_on_the_catalog():
    chip = get_accelerator("RTX-4090D")
    assert chip.tpp < 4800
    assert status("RTX-4090D", D(2025, 1, 1)).status == "usable"


def test_h200_and_leasing_on_the_catalog():
    assert status("H200-SXM", D(2026, 2, 1)).status == "needs_license"
    lease = dict(access="lease", site="MY-Johor")
    assert status("H100-SXM", D(2025, 7, 1), **lease).status == "usable"
    assert status("H100-SXM", D(2025, 7, 1), regime="hypo-my-th-licence", **lease).status == "blocked"
    assert status("H100-SXM", D(2025, 7, 1), regime="hypo-remote-access-act", **lease).status == "blocked"


def test_domestic_ascend_on_the_catalog():
    assert status("Ascend-910C", D(2026, 1, 1), access="domestic", site="CN-West").status == "usable"


@pytest.mark.parametrize("chip,day,rules,figures", [
    ("B30A", D(2026, 3, 1), ["R3", "R7"], ["TPP", "interconnect", "memory bandwidth"]),
    ("RTX-Pro-6000D", D(2025, 8, 1), ["R3", "R7"], ["TPP", "interconnect"]),
    ("MI308X", D(2025, 6, 1), ["R3"], ["TPP"]),
])
def test_an_empty_catalog_figure_is_named_in_the_verdict(chip, day, rules, figures):
    """A rule the catalog cannot decide is treated as not applying, but the verdict must not read
    as settled ("usable (no rule applies)"): it names the rule and the unsourced figure."""
    r = status(chip, day)
    verdict = r.summary()
    assert "no rule applies" not in verdict or "not evaluated" in verdict
    assert "not evaluated" in verdict and f"unsourced for {chip}" in verdict, verdict
    for rid in rules:
        assert rid in r.unevaluated and rid in verdict, (rid, verdict)
        line = next(x for x in r.reasons if x.startswith(f"{rid} ("))
        assert "unsourced" in line and "empty in the catalog" in line and "if it applied" in line
    for fig in figures:
        assert fig in verdict, (fig, verdict)


def test_a_decided_chip_has_no_unevaluated_note():
    r = status("H100-SXM", D(2026, 3, 1))
    assert r.unevaluated == [] and "not evaluated" not in r.summary()
    # MI308X needs R7's licence; R3-nac-b (notification, usable) is unevaluated but not stricter
    mi = status("MI308X", D(2025, 6, 1))
    assert mi.status == "needs_license" and "R3-nac-b" in mi.unevaluated and "R3-nac-b" not in mi.summary()


def test_every_chip_list_of_the_rules_names_catalog_chips():
    """The rules name chips by catalog id (matching ignores case and punctuation): each list must
    reach at least one shipped chip, and the chips the issue names must be reached, or the rule
    silently never applies."""
    import json

    from core.catalog import accelerators
    from core.policy.conditions import _norm_id
    from core.resources import resource

    catalog = {_norm_id(a) for a in accelerators()}
    lists: list[list[str]] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("metric") == "chip" and node.get("in"):
                lists.append(node["in"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(resource("catalog", "policies", "rules.json").read_text(encoding="utf-8")))
    assert len(lists) >= 5
    for ids in lists:
        assert any(_norm_id(i) in catalog for i in ids), ids
    named = {_norm_id(i) for ids in lists for i in ids}
    for chip in ("H20", "MI308X", "H200-SXM", "RTX-Pro-6000D", "A100-SXM-80GB", "H800-SXM", "L40S", "Ascend-910C"):
        assert _norm_id(chip) in named and _norm_id(chip) in catalog, chip
