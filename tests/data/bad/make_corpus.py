"""Write the damaged/crafted-file corpus next to this script (run after changing the formats).

python tests/data/bad/make_corpus.py

Every file here must be refused by every loader (project, Hugging Face config) with exit code 2
and one line naming the file and the place; the app's settings reader must fall back to its
default. ``expected.json`` maps a file to the text its project-loader / HF-loader message must
contain (the key path). Big cases (1 GB, 60 MB, a million levels of nesting, multi-megabyte
strings) are generated at test time, not stored.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def _example() -> dict:
    data = json.loads((ROOT / "resources/examples/southeast-asia-route.json").read_text("utf-8"))
    data["scenarios"] = data["scenarios"][:3]
    data["regimes"] = []  # 43 kB of copied rules; the corpus stays small
    data["scenarios"][1]["policy"]["regime"] = "in-force"
    return data


def _hf(name: str) -> dict:
    return json.loads((ROOT / "tests/fixtures/hf" / f"{name}.json").read_text("utf-8"))


def build() -> dict[str, tuple[bytes, str, str]]:
    """file name -> (content, substring of the project loader's message, of the HF loader's)."""
    ex = _example()
    text = json.dumps(ex, indent=1)
    out: dict[str, tuple[bytes, str, str]] = {}

    def project(name: str, data: object, proj: str, hf: str = "") -> None:
        body = data if isinstance(data, str) else json.dumps(data, indent=1)
        out[name] = (body.encode("utf-8"), proj, hf)

    def mutate(name: str, edit, proj: str, hf: str = "") -> None:
        d = copy.deepcopy(ex)
        edit(d)
        project(name, d, proj, hf)

    def setp(path: tuple, value):
        def edit(d):
            node = d
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        return edit

    # -- damaged bytes
    out["truncated-half.json"] = (text[: len(text) // 2].encode(), "truncated", "truncated")
    out["truncated-one-byte.json"] = (text.rstrip()[:-1].encode(), "truncated", "truncated")
    out["empty.json"] = (b"", "not valid JSON", "not valid JSON")
    raw = bytearray(text.encode())
    for pos in (0, len(raw) // 3, len(raw) // 2):
        flipped = bytearray(raw)
        flipped[pos] ^= 0xFF  # 0x80+ bytes: never valid UTF-8 on their own here
        out[f"byteflip-utf8-{pos}.json"] = (bytes(flipped), "not UTF-8", "not UTF-8")
    structural = text.index('"scenarios"')
    flipped = bytearray(raw)
    flipped[structural] = ord("'")
    out["byteflip-quote.json"] = (bytes(flipped), "not valid JSON", "not valid JSON")
    out["latin1.json"] = (text.replace("Johor", "Johor\u00e9").encode("latin-1", "replace"), "not UTF-8",
                          "not UTF-8")
    out["utf16.json"] = (text.encode("utf-16"), "not UTF-8", "not UTF-8")
    out["nul-bytes.json"] = (b"\x00" * 64, "not valid JSON", "not valid JSON")

    # -- numbers
    project("nan.json", text.replace('"tokens": 36000000000000.0', '"tokens": NaN', 1),
            "scenarios[0].training.tokens", "tokens")
    project("infinity.json", text.replace('"deadline_days": 180.0', '"deadline_days": Infinity', 1),
            "scenarios[0].constraints.deadline_days", "deadline_days")
    project("minus-infinity-in-regime.json",
            json.dumps({**ex, "regimes": [{"id": "r", "x": 1}]}).replace('"x": 1', '"x": -Infinity'),
            "regimes[0].x")
    project("float-1e400.json", text.replace('"tokens": 36000000000000.0', '"tokens": 1e400', 1),
            "scenarios[0].training.tokens", "tokens")
    project("int-5000-digits.json", text.replace('"count": 4096', '"count": ' + "9" * 5000, 1),
            "scenarios[0].fleet[0].count", "count")
    mutate("int-300-digits.json", setp(("scenarios", 0, "fleet", 0, "count"), 10**300),
           "scenarios[0].fleet[0].count")
    mutate("price-1e308.json", setp(("scenarios", 0, "fleet", 0, "price_per_hour_usd"), 1e308),
           "scenarios[0].fleet[0].price_per_hour_usd")
    mutate("head-dim-1e308.json", setp(("scenarios", 0, "model", "head_dim"), 1e308),
           "scenarios[0].model.head_dim")
    mutate("head-dim-huge-int.json", setp(("scenarios", 0, "model", "head_dim"), 10**200),
           "scenarios[0].model.head_dim")
    mutate("link-efficiency-5e-324.json", setp(("scenarios", 0, "physics"), {"link_efficiency": 5e-324}),
           "scenarios[0].physics.link_efficiency")
    mutate("count-zero.json", setp(("scenarios", 1, "fleet", 0, "count"), 0),
           "scenarios[1].fleet[0].count: must be > 0")

    # -- nesting
    project("deep-nesting.json", "[" * 5000 + "]" * 5000, "nested more than", "nested more than")
    project("deep-object.json", '{"a":' * 3000 + "1" + "}" * 3000, "nested more than", "nested more than")
    deep = '{"all_of": [' * 600 + "1" + "]}" * 600  # regimes nested 600 deep (opened, never saved)
    project("deep-regime-600.json", json.dumps({**ex, "regimes": [{"id": "x", "rules": ["DEEP"]}]})
            .replace('"DEEP"', deep), "nested more than")

    # -- duplicate keys
    project("duplicate-top-key.json", text.replace('"marking": ""', '"name": "twice",\n "marking": ""', 1),
            "name: this key appears twice")
    project("duplicate-nested-key.json", text.replace('"count": 4096', '"count": 4096, "count": 1', 1),
            "scenarios[0].fleet[0].count: this key appears twice")

    # -- wrong types and lax conversions
    mutate("count-string.json", setp(("scenarios", 0, "fleet", 0, "count"), "1_000"),
           "scenarios[0].fleet[0].count: must be a whole number")
    mutate("count-padded.json", setp(("scenarios", 0, "fleet", 0, "count"), " 12 "),
           "scenarios[0].fleet[0].count: must be a whole number")
    mutate("count-false.json", setp(("scenarios", 0, "fleet", 0, "count"), False),
           "scenarios[0].fleet[0].count: must be a whole number")
    mutate("count-float.json", setp(("scenarios", 0, "fleet", 0, "count"), 4096.0),
           "scenarios[0].fleet[0].count: must be a whole number")
    mutate("bool-from-int.json", setp(("scenarios", 0, "model", "gated_mlp"), 1),
           "scenarios[0].model.gated_mlp: must be true or false")
    mutate("date-int.json", setp(("scenarios", 0, "date"), 20250701),
           "scenarios[0].date: expected a date YYYY-MM-DD")
    mutate("date-impossible.json", setp(("scenarios", 0, "date"), "2025-13-45"),
           "scenarios[0].date")
    mutate("date-timestamp.json", setp(("scenarios", 0, "date"), "2025-07-01T00:00:00"),
           "scenarios[0].date: expected a date YYYY-MM-DD")
    mutate("scenarios-not-list.json", setp(("scenarios",), {"a": 1}), "scenarios: must be a list")
    mutate("fleet-null.json", setp(("scenarios", 0, "fleet"), None), "scenarios[0].fleet")
    mutate("model-list.json", setp(("scenarios", 0, "model"), [1, 2]), "scenarios[0].model: must be an object")
    mutate("name-number.json", setp(("name",), 12), "name: must be text")
    mutate("regimes-not-objects.json", setp(("regimes",), [1]), "regimes[0]")
    project("v0-scenarios-number.json", {"version": 0, "name": "old", "scenarios": 5}, "scenarios")
    project("v0-fleet-string.json", {"version": 0, "name": "old", "scenarios": [
        {**ex["scenarios"][0], "fleet": "H100 x 8"}]}, "scenarios[0].fleet")
    project("v0-pool-list.json", {"version": 0, "name": "old", "scenarios": [
        {**ex["scenarios"][0], "fleet": [["chip", "H100"]]}]}, "scenarios[0].fleet[0]")
    project("top-level-list.json", [ex], "holds a list")
    project("top-level-string.json", '"project"', "holds a string")
    project("top-level-null.json", "null", "holds a null")

    # -- huge strings (over the field limits; multi-megabyte ones are made at test time)
    mutate("name-too-long.json", setp(("name",), "N" * 201), "name: must have at most 200")
    mutate("notes-too-long.json", setp(("scenarios", 0, "notes"), "n" * 20_001),
           "scenarios[0].notes: must have at most 20000")

    # -- schema_version
    mutate("schema-newer.json", setp(("schema_version",), 99), "schema_version: this file was written by a newer")
    mutate("schema-negative.json", setp(("schema_version",), -1), "schema_version: must be a whole number >= 0")
    mutate("schema-string.json", setp(("schema_version",), "1"), "schema_version: must be a whole number >= 0")
    mutate("schema-bool.json", setp(("schema_version",), True), "schema_version: must be a whole number >= 0")
    mutate("schema-float.json", setp(("schema_version",), 1.0), "schema_version: must be a whole number >= 0")
    mutate("schema-missing.json", lambda d: d.pop("schema_version"), "schema_version: missing")

    # -- found only when evaluating (must keep the scenario's place)
    mutate("unknown-accelerator-in-scenario-2.json", setp(("scenarios", 2, "fleet", 0, "accelerator"), "H999"),
           "scenarios[2].fleet[0].accelerator")
    mutate("unknown-regime-in-scenario-1.json", setp(("scenarios", 1, "policy", "regime"), "no-such"),
           "scenarios[1].policy.regime")
    mutate("broken-project-regime.json", lambda d: (
        d.update(regimes=[{"id": "mine", "rules": [{"id": "R1"}]}]),
        d["scenarios"][0]["policy"].update(regime="mine")),
        "regimes[0].rules[0]")

    # -- Hugging Face configs
    mix = _hf("mixtral-8x7b")
    def hf(name: str, data: object, hf_expect: str, proj: str = "schema_version") -> None:
        body = data if isinstance(data, str) else json.dumps(data, indent=1)
        out[name] = (body.encode("utf-8"), proj, hf_expect)

    hf("hf-moe-huge-layers.json", {**mix, "num_hidden_layers": 10**12}, "num_hidden_layers")
    hf("hf-deepseek-huge-layers.json", {**_hf("deepseek-v3"), "num_hidden_layers": 2**62}, "num_hidden_layers")
    hf("hf-head-dim-1e308.json", {**mix, "head_dim": 1e308}, "head_dim")
    hf("hf-head-dim-huge-int.json", {**mix, "head_dim": 10**300}, "head_dim")
    hf("hf-vocab-string.json", {**mix, "vocab_size": "32000"}, "vocab_size")
    hf("hf-nan.json", json.dumps({**mix, "rope_theta": 1.5}).replace('"rope_theta": 1.5', '"rope_theta": NaN'),
       "rope_theta", "rope_theta: NaN")
    hf("hf-1e400.json", json.dumps(mix).replace('"hidden_size": 4096', '"hidden_size": 1e400'), "hidden_size",
       "hidden_size: 1e400 is too large")
    hf("hf-duplicate.json", json.dumps(mix).replace('"hidden_size": 4096', '"hidden_size": 4096, "hidden_size": 8'),
       "hidden_size: this key appears twice", "hidden_size: this key appears twice")
    hf("hf-experts-huge.json", {**mix, "num_local_experts": 10**9}, "model-config.num_local_experts: must be <= 100000")
    hf("hf-layers-float.json", {**mix, "num_hidden_layers": 1e300}, "num_hidden_layers")
    hf("hf-mlp-only-layers-huge.json", {**_hf("qwen1.5-moe-a2.7b"), "mlp_only_layers": 5}, "mlp_only_layers")
    hf("hf-list.json", [mix], "not an object", "holds a list")
    assert '"hidden_size": 4096' in json.dumps(mix)
    return out


def main() -> None:
    files = build()
    for old in HERE.glob("*.json"):
        if old.name != "expected.json" and old.name not in files:
            old.unlink()
    expected = {}
    for name, (content, proj, hf) in sorted(files.items()):
        (HERE / name).write_bytes(content)
        expected[name] = {"project": proj, "hf": hf}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {len(files)} files to {HERE}")


if __name__ == "__main__":
    main()
