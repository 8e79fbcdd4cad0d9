"""Write resources/examples/southeast-asia-route.json, the bundled example project.

    python scripts/make_example.py [--check]

The story analysts brief on: a China-headquartered lab trains a Qwen3-235B-class MoE (36T
tokens, as the Qwen3 report states) through five routes. Fleet sizes are illustrative choices,
not reported figures: they are stated as such in each scenario's notes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.policy import get_regime, load_rules  # noqa: E402
from core.presets import get_preset  # noqa: E402
from core.project import Project, save_project  # noqa: E402
from core.scenario import Constraints, PolicySettings, Pool, Scenario  # noqa: E402
from core.training import TrainingSpec  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "examples" / "southeast-asia-route.json"


def build() -> Project:
    preset = get_preset("qwen3-235b-a22b")
    training = TrainingSpec(tokens=36e12, seq_len=4096, precision="bf16")
    constraints = Constraints(deadline_days=180)

    def scenario(name, date, pools, regime="in-force", notes="", **policy):
        return Scenario(name=name, date=date, hq="CN", notes=notes, preset=preset.id,
                        model=preset.spec, training=training, fleet=pools, constraints=constraints,
                        policy=PolicySettings(regime=regime, **policy))

    closed = get_regime("hypo-my-th-licence").model_copy(deep=True)
    closed.id = "hypo-my-th-and-remote-access"
    closed.title = "In force + Malaysia/Thailand licence + Remote Access Security Act (hypothetical)"
    closed.description = ("Both proposals of 2025-26 enacted: a US licence requirement for 3A090.a chips "
                          "to Malaysia and Thailand (incl. leasing to D:5-headquartered users) and the "
                          "Remote Access Security Act (H.R. 2683) bringing remote access within export "
                          "controls. Built in this project from the two hypothetical presets.")
    extra = load_rules()["hypo-remote-access"]
    closed.rules.append(extra)
    closed.hypothetical.append(extra.id)

    scenarios = [
        scenario(
            "1 Leased H100 in Johor, mid-2025", dt.date(2025, 7, 1),
            [Pool(name="Johor lease", accelerator="H100-SXM", count=4096, site="MY-Johor", access="lease")],
            notes="A third-party data centre in Johor rents 4,096 H100 (512 HGX servers) to the lab, "
                  "used remotely. Fleet size is an illustrative choice (WSJ reported a Chinese firm "
                  "renting ~300 Nvidia servers in Malaysia, Jun 2025). Leasing is not an export "
                  "under the rules in force (rules.md §2); the May 2025 guidance makes it a red flag.",
        ),
        scenario(
            "2 Same lease after MY/TH licence + Remote Access Act", dt.date(2026, 6, 1),
            [Pool(name="Johor lease", accelerator="H100-SXM", count=4096, site="MY-Johor", access="lease")],
            regime=closed.id,
            notes="The leasing route closed: both hypotheticals enacted, in effect from the scenario "
                  "date. The policy regime is a project-level copy of the presets.",
        ),
        scenario(
            "3 Stockpiled H800 bought before Nov 2023", dt.date(2026, 1, 1),
            [Pool(name="H800 stockpile", accelerator="H800-SXM", count=2048, site="CN", access="stockpile",
                  acquired=dt.date(2023, 6, 1), unit_price_usd=30000)],
            notes="2,048 H800 bought in mid-2023, before the US told Nvidia (2023-10-23) that the Oct 2023 "
                  "rule applied to the H800 at once, and before the rule itself took effect (2023-11-17): "
                  "grandfathered. DeepSeek-V3 was trained on a cluster of this size (arXiv:2412.19437). "
                  "Price: no H800 price was found; the H100's ~$30k MSRP (S17) is assumed.",
        ),
        scenario(
            "4 H20 under the Aug 2025 licences", dt.date(2025, 10, 1),
            [Pool(name="H20 purchase", accelerator="H20", count=16384, site="CN", access="own",
                  acquired=dt.date(2025, 9, 15))],
            notes="16,384 H20 imported under the licences restored in Aug 2025 with a 15% revenue "
                  "share; Beijing discourages the purchase (Aug 2025). Fleet size is illustrative.",
        ),
        scenario(
            "5 Domestic Ascend 910C at home", dt.date(2026, 1, 1),
            [Pool(name="Ascend cluster", accelerator="Ascend-910C", count=8192, site="CN-West",
                  access="domestic", acquired=dt.date(2025, 6, 1), unit_price_usd=28000)],
            notes="8,192 Ascend 910C in a western Chinese hub with subsidised power for domestic chips. "
                  "All 910C figures are estimates (Heim, 2025); fleet size is illustrative. Price: "
                  "~$28k per chip as reported by one low-reliability secondary source (kocka.news, 2025) "
                  "- an assumption. No sourced TDP: energy is left out of this route's cost.",
        ),
        scenario(
            "6 Every route, then Malaysia/Thailand close", dt.date(2026, 6, 1),
            [Pool(name="Johor lease", accelerator="H100-SXM", count=4096, site="MY-Johor", access="lease"),
             Pool(name="H800 stockpile", accelerator="H800-SXM", count=2048, site="CN", access="stockpile",
                  acquired=dt.date(2023, 6, 1), unit_price_usd=30000),
             Pool(name="Ascend cluster", accelerator="Ascend-910C", count=4096, site="CN-West",
                  access="domestic", acquired=dt.date(2025, 6, 1), unit_price_usd=28000)],
            regime=closed.id, compare_regime="in-force",
            notes="The lab holds all three routes at once: the Johor lease, the pre-ban H800 "
                  "stockpile and a smaller Ascend cluster (4,096; illustrative). Under the rules in "
                  "force it trains on the fastest; with the two hypotheticals enacted the lease is "
                  "blocked and it falls back on the rest. The Policy impact chart compares the two.",
        ),
    ]
    return Project(
        name="The Southeast Asia route",
        marking="",
        notes="How long and at what cost can a China-headquartered lab train a Qwen3-235B-class MoE "
              "(36T tokens) if the leasing route through Malaysia and Thailand closes? Five routes, "
              "one scenario each, and a sixth holding all of them to show the fallback when the "
              "lease closes. Deadline: 180 days (illustrative).",
        scenarios=scenarios,
        regimes=[closed.model_dump(mode="json")],
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = ap.parse_args()
    project = build()
    text = json.dumps(project.model_dump(mode="json"), indent=2, allow_nan=False) + "\n"
    if args.check:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    save_project(project, OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
