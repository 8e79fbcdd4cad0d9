"""A layout given by the caller (published runs are predicted at their own layout)."""

from __future__ import annotations

import pytest

from core.catalog import get_accelerator
from core.errors import InputError
from core.estimate import estimate
from core.planner import FixedLayout
from core.presets import preset_spec
from core.training import TrainingSpec

H100 = get_accelerator("H100-SXM")
TRAIN = TrainingSpec(tokens=1e12, seq_len=4096, global_batch_tokens=4096 * 512)


def test_forcing_the_searched_best_layout_gives_the_same_result():
    model = preset_spec("llama-3.1-70b")
    free = estimate(model, TRAIN, H100, 512)
    p = free.plan
    forced = estimate(model, TRAIN, H100, 512, layout=FixedLayout(p.tp, p.pp, p.dp, p.ep))
    assert (forced.plan.tp, forced.plan.pp, forced.plan.dp) == (p.tp, p.pp, p.dp)
    assert forced.step_time.total == pytest.approx(free.step_time.total, rel=1e-6)


def test_forced_layout_is_used_even_off_the_search_grid_and_is_not_faster():
    model = preset_spec("llama-3.1-70b")
    free = estimate(model, TRAIN, H100, 576)
    # PP 9 is not a power of two: the search never tries it
    forced = estimate(model, TRAIN, H100, 576, layout=FixedLayout(tp=8, pp=9, dp=8, micro_batch=1))
    assert forced.verdict == "feasible"
    assert (forced.plan.tp, forced.plan.pp, forced.plan.dp, forced.plan.micro_batch) == (8, 9, 8, 1)
    assert forced.plan.chips_used == 576
    assert forced.wall_clock_days >= free.wall_clock_days * (1 - 1e-6)


def test_interleave_and_expert_parallel_are_honoured():
    model = preset_spec("mixtral-8x7b")
    res = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=1, pp=4, dp=16, ep=8, micro_batch=1,
                                                              interleave=8))
    assert (res.plan.pp, res.plan.ep, res.plan.interleave, res.plan.micro_batch) == (4, 8, 8, 1)


@pytest.mark.parametrize(("layout", "field"), [
    (FixedLayout(tp=8, pp=8, dp=16), "layout"),            # 1,024 chips > 512
    (FixedLayout(tp=0, pp=1, dp=8), "layout.tp"),
    (FixedLayout(tp=1, pp=1, dp=8, ep=4), "layout.ep"),    # dense model
    (FixedLayout(tp=1, pp=1, dp=8, interleave=2), "layout.interleave"),
])
def test_bad_layout_names_the_field(layout, field):
    with pytest.raises(InputError) as exc:
        estimate(preset_spec("llama-3.1-70b"), TRAIN, H100, 512, layout=layout)
    assert exc.value.field == field


def test_max_zero_caps_the_zero_stage_the_planner_may_pick():
    # 70B on 64 H100 without a pipeline: the model states only fit sharded, so the free choice
    # is ZeRO-3; capped at ZeRO-1 (Megatron's distributed optimizer) the same layout cannot fit
    model = preset_spec("llama-3.1-70b")
    free = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32))
    assert free.verdict == "feasible" and free.plan.zero_stage == 3
    capped = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32, max_zero=1))
    assert capped.verdict == "infeasible"
    piped = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=4, dp=8, max_zero=1))
    assert piped.verdict == "feasible" and piped.plan.zero_stage <= 1
    with pytest.raises(InputError, match="max_zero"):
        estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32, max_zero=4))


def test_published_full_recompute_recomputes_every_layer():
    # GPT-NeoX's checkpoint-activations with checkpoint-num-layers 1 (Pythia configs): every layer
    # is recomputed even where the memory would allow less, which costs one more forward pass
    model = preset_spec("llama-3.1-8b")
    free = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32, max_zero=1))
    full = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32, max_zero=1,
                                                                 recompute="full"))
    assert full.plan is not None and free.plan is not None
    assert full.plan.recompute == "full" and full.plan.recompute_fraction == 1.0
    assert free.plan.recompute != "full"
    assert full.step_time.compute > free.step_time.compute * 1.15
    none = estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32, max_zero=1,
                                                                 recompute="none"))
    assert none.plan is None or none.plan.recompute == "none"
    with pytest.raises(InputError, match=r"layout\.recompute"):
        estimate(model, TRAIN, H100, 64, layout=FixedLayout(tp=2, pp=1, dp=32, recompute="half"))
