"""Model presets: sourced architectures of well-known training runs.

Data lives in ``resources/catalog/models.json``. Each preset carries the published parameter
counts it must reproduce (tests hold the computed count within 2 %), the source of the
architecture (``spec.source``) and of the published figures, and a default token budget and
sequence length from the paper (``null`` tokens when the developer never disclosed them).
"""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from core.catalog import suggest
from core.errors import InputError
from core.model import ModelSpec
from core.resources import resource


class Preset(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    published_total_params: float = Field(gt=0, allow_inf_nan=False)
    published_active_params: float = Field(gt=0, allow_inf_nan=False)
    published_source: str = Field(min_length=1)
    default_tokens: float | None = Field(
        default=None, gt=0, allow_inf_nan=False, description="None = not disclosed"
    )
    default_seq_len: int = Field(gt=0)
    tokens_source: str = Field(min_length=1)
    spec: ModelSpec


class PresetFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(ge=1, le=1)
    models: list[Preset]


@lru_cache(maxsize=1)
def load_presets() -> dict[str, Preset]:
    """All presets by id, in file order. Cached: the file ships with the app."""
    path = resource("catalog", "models.json")
    data = PresetFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    table: dict[str, Preset] = {}
    for p in data.models:
        if p.id.lower() in {k.lower() for k in table}:
            raise ValueError(f"{path}: duplicate model id {p.id!r}")
        table[p.id] = p
    return table


def get_preset(model_id: str, field: str = "model") -> Preset:
    """Case-insensitive lookup; unknown ids get "unknown model 'X'; did you mean ...?"."""
    table = load_presets()
    key = str(model_id).strip().lower()
    for pid, preset in table.items():
        if pid.lower() == key:
            return preset
    raise InputError(field, f"unknown model {model_id!r}{suggest(str(model_id), list(table))}")


def preset_spec(model_id: str) -> ModelSpec:
    """A copy of the preset's architecture, safe for the caller to modify."""
    return get_preset(model_id).spec.model_copy(deep=True)
