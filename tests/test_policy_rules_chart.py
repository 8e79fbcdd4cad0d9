"""docs/charts/policy-timeline-2022-2026.png is drawn from the rule data: its recorded row list
must match rules.json, so a new or re-dated rule makes this fail until the chart is redrawn."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("policy_rules_chart", ROOT / "scripts" / "policy_rules_chart.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_chart_lists_every_rule_with_its_dates():
    mod = _script()
    assert mod.main(["--check"]) == 0, "run scripts/policy_rules_chart.py"
    listing = (ROOT / "docs" / "charts" / "policy-timeline-2022-2026.txt").read_text(encoding="utf-8")
    from core.policy import load_rules

    for rule in load_rules().values():
        assert f" {rule.id}  (" in listing and rule.effective.isoformat() in listing
    assert (ROOT / "docs" / "charts" / "policy-timeline-2022-2026.png").stat().st_size > 10_000
