"""Property tests: any mutation of the example project or of a Hugging Face config ends as a valid
load (which saves and re-opens equal, and evaluates to strict JSON) or as exit 2 with one line
naming the file. The same engine runs thousands of cases in benchmarks/fuzz_loaders.py."""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz_loaders import (
    base_config,
    base_project,
    check_config_file,
    check_project_file,
    mutant,
    mutate_text,
)

FUZZ = settings(
    max_examples=25,
    deadline=timedelta(seconds=20),  # bounded time per case (a hang in the HF import was found)
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def _check(check, data: bytes) -> str:
    with tempfile.TemporaryDirectory(prefix="chokepoint-fuzz-") as folder:
        path = Path(folder) / "case.json"
        path.write_bytes(data)
        return check(path)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_projects_load_or_are_refused_in_one_line(seed):
    rng = random.Random(seed)
    assert _check(check_project_file, mutant(rng, base_project(rng))) in ("loaded", "refused")


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_hf_configs_load_or_are_refused_in_one_line(seed):
    rng = random.Random(seed)
    assert _check(check_config_file, mutant(rng, base_config(rng))) in ("loaded", "refused")


@settings(max_examples=15, deadline=timedelta(seconds=20), derandomize=True)
@given(cut=st.floats(0, 1), seed=st.integers(0, 2**32 - 1))
def test_damaged_bytes_of_the_example(cut, seed):
    rng = random.Random(seed)
    text = (Path(__file__).resolve().parent.parent / "resources/examples/southeast-asia-route.json").read_text(
        encoding="utf-8")
    data = mutate_text(rng, text)
    if cut < 0.5:
        data = data[: int(len(data) * cut * 2)]
    assert _check(check_project_file, data) in ("loaded", "refused")


def test_unmutated_files_load():
    """The engine's bases are valid: a failure above is the mutation's doing."""
    rng = random.Random(0)
    assert _check(check_project_file, mutant_free(base_project(rng))) == "loaded"
    assert _check(check_config_file, mutant_free(base_config(rng))) == "loaded"


def mutant_free(data) -> bytes:
    import json

    return json.dumps(data).encode("utf-8")
