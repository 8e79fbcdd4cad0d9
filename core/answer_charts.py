"""The numbers behind the three answer charts of a scenario: what the policy costs the lab
(before/after, with the fallback route; and the best route under every regime, for the impact
slide's table), which assumption decides it (tornado), and the cost-vs-time frontier of its
usable options. Headless, like ``core.chart_data``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.impact import Impact, ImpactTable, impact, impact_table
from core.sensitivity import FrontierPoint, Tornado, pareto, tornado


class AnswerCharts(BaseModel):
    scenario: str
    impact: Impact | None = None
    impact_error: str = ""
    tornado: Tornado
    frontier: list[FrontierPoint] = Field(default_factory=list)
    impact_table: ImpactTable | None = Field(
        default=None, description="the best route under every regime (the impact slide's table)")
    solver: dict[str, Any] | None = Field(
        default=None, description="core.solve.solve_scenario for the scenario's own deadline "
        "and budget (the solver slide); None when it sets neither")
    solver_error: str = ""


def comparison_regime(scenario: Any) -> str:
    """The regime a scenario is compared with on the policy-impact chart: its own
    ``policy.compare_regime`` when set; else the rules in force for a hypothetical regime, and
    no controls at all for the rules in force (what the controls cost the lab)."""
    chosen = getattr(scenario.policy, "compare_regime", None)
    if chosen:
        return str(chosen)
    return "none" if scenario.policy.regime == "in-force" else "in-force"


def answer_charts(scenario: Any, project: Any = None) -> AnswerCharts:
    from core.errors import InputError

    before = comparison_regime(scenario)
    impact_result, table, error = None, None, ""
    try:
        impact_result = impact(scenario, project, before_regime=before,
                               after_regime=scenario.policy.regime)
        table = impact_table(scenario, project)
    except InputError as e:
        error = str(e)
    solved, solve_error = None, ""
    limits = scenario.constraints
    if limits.deadline_days is not None or limits.budget_usd is not None:
        from core.solve import solve_scenario

        try:
            solved = solve_scenario(scenario, project)
        except InputError as e:
            solve_error = str(e)
    return AnswerCharts(scenario=scenario.name, impact=impact_result, impact_error=error,
                        tornado=tornado(scenario, project), frontier=pareto(scenario, project),
                        impact_table=table, solver=solved, solver_error=solve_error)
