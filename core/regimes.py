"""Project-level policy regimes; moved to :mod:`core.policy.regimes`. This module re-exports it so
``from core.regimes import ...`` keeps working."""

from __future__ import annotations

from core.policy.regimes import (
    EDITABLE,
    copy_regime,
    delete_regime,
    edit_rule,
    get_regime_ids,
    is_project_regime,
    project_regimes,
    regime_for,
)

__all__ = ["EDITABLE", "copy_regime", "delete_regime", "edit_rule", "get_regime_ids", "is_project_regime",
           "project_regimes", "regime_for"]
