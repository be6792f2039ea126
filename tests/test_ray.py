"""briefing.seq2seq.distributed on a local Ray runtime (2 CPUs, started once for the module) with tiny
models built at test time, loaded by the real loading code: outputs byte-identical to one
process, a killed actor costs only its batch, an interrupted run redoes only what is missing.
The commands (--ray) are in test_ray_cli.py."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("torch")
pytest.importorskip("transformers")

from briefing.seq2seq.cache import open_cache  # noqa: E402
from briefing.seq2seq.distributed import RayBackend, connect  # noqa: E402
from briefing.seq2seq.registry import GenerationSettings  # noqa: E402
from briefing.translate.files import translate_files  # noqa: E402
from briefing.translate.seq2seq import load_translator  # noqa: E402
from tests.test_translate_seq2seq import models_root  # noqa: E402,F401  (fixture)
from tests.tiny_models import TRAINING_LINES, lively_copy  # noqa: E402

pytestmark = pytest.mark.slow

FAST = GenerationSettings(num_beams=2, max_new_tokens=8)
# Eight distinct English sentences: with max_batch=2, four batches for two actors.
SENTENCES = [line for line in TRAINING_LINES if line.isascii()] + ["Police said the bill passed on Tuesday."]


@pytest.fixture(scope="module")
def ray_runtime():
    started = connect("local", num_cpus=2, object_store_memory=80 * 2**20)
    yield
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def lively_marian(tmp_path_factory):
    """The tiny Marian with its weights redrawn at a larger scale and saved again: at the tiny
    models' initial scale every input gives the same tokens, and a mix-up would go unseen."""
    return lively_copy("marian", tmp_path_factory.mktemp("lively") / "marian")


@pytest.fixture()
def marian(lively_marian, models_root, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(lively_marian, models_root / "opus-mt-tc-big-en-ko")
    return models_root


@pytest.fixture(scope="module")
def backend(ray_runtime):
    """Two actors for the module (each test loads its own model folder into them); no node
    caches, so what the driver's cache holds is all there is."""
    opened = RayBackend.open("local", actors=2, device="cpu", no_cache=True)
    yield opened
    opened.close()


def _small_batches(translator, settings=FAST):
    """Same settings on both paths; two sentences per batch, so the work spans several calls."""
    translator.settings = settings
    translator._generator("en", "ko").max_batch = 2
    return translator


def _texts(results) -> list[str]:
    return [r.text for r in results]


def test_a_killed_actor_costs_only_its_batch_and_outputs_match_one_process(backend, marian):
    single = _texts(_small_batches(load_translator("en", "ko", device="cpu")).translate(SENTENCES, "en", "ko"))
    assert len(set(single)) > 1  # the tiny model's outputs depend on the input: the check can fail

    translator = _small_batches(backend.load_translator("en", "ko"))
    pool = backend.pool
    before = pool.on_all("pid")
    killed: list[int] = []

    def kill_the_second_actor_mid_run(_n: int) -> None:
        # When the first batch lands the second actor still holds at least one of its two
        # batches (two are sent to each): Ray restarts it, it reloads the model, and retries.
        if not killed:
            os.kill(before[1], signal.SIGKILL)
            killed.append(before[1])

    translator.progress = kill_the_second_actor_mid_run
    assert _texts(translator.translate(SENTENCES, "en", "ko")) == single
    assert killed
    stats = translator._generator("en", "ko").stats
    assert stats.batches == 4 and stats.generated == len(SENTENCES)
    after = pool.on_all("pid")
    assert after[0] == before[0] and after[1] != before[1]


def test_an_interrupted_call_keeps_its_finished_batches(backend, marian, tmp_path):
    class Interrupt(Exception):
        pass

    def stop_after_first_batch(_n: int) -> None:
        raise Interrupt

    cache = open_cache(tmp_path / "driver-cache")
    first = _small_batches(backend.load_translator("en", "ko", cache=cache))
    first.progress = stop_after_first_batch
    with pytest.raises(Interrupt):
        first.translate(SENTENCES, "en", "ko")

    again = _small_batches(backend.load_translator("en", "ko", cache=cache))
    done = _texts(again.translate(SENTENCES, "en", "ko"))
    stats = again._generator("en", "ko").stats
    assert stats.cache_hits == 2 and stats.generated == len(SENTENCES) - 2  # only what was missing
    assert done == _texts(_small_batches(load_translator("en", "ko", device="cpu")).translate(SENTENCES, "en", "ko"))


def test_a_rerun_after_an_interruption_redoes_only_the_unfinished_files(backend, marian, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"s{n}.txt").write_text("\n".join(SENTENCES[n * 2 : n * 2 + 2]) + "\n", encoding="utf-8")
    paths = sorted(folder.iterdir())
    out = tmp_path / "out"
    translator = _small_batches(backend.load_translator("en", "ko"))
    for result in translate_files(paths, translator, "en", "ko", out, group_segments=1):
        break  # interrupted after the first file was written
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["s0.ko.txt"]

    rerun = _small_batches(backend.load_translator("en", "ko"))
    skipped = {r.source.name: r.skipped for r in translate_files(paths, rerun, "en", "ko", out, group_segments=1)}
    assert skipped == {"s0.txt": True, "s1.txt": False, "s2.txt": False}
    assert rerun._generator("en", "ko").stats.requested == 4  # the two unfinished files' sentences
    # An output changed since it was written is not trusted: it is translated again.
    (out / "s1.ko.txt").write_text("edited\n", encoding="utf-8")
    again = {r.source.name: r.skipped for r in translate_files(paths, rerun, "en", "ko", out)}
    assert again == {"s0.txt": True, "s1.txt": False, "s2.txt": True}
    assert (out / "s1.ko.txt").read_text(encoding="utf-8") != "edited\n"


def test_ctranslate2_on_the_actors_matches_one_process_byte_for_byte(backend, marian):
    """With a CTranslate2 conversion beside the model, the actors (one thread each) and one
    process both run it, and their outputs are byte-identical."""
    pytest.importorskip("ctranslate2")
    from briefing.seq2seq import ctranslate
    from briefing.seq2seq.locate import locate

    ctranslate.convert(locate("opus-mt-tc-big-en-ko", models_root=marian), models_root=marian)
    single = load_translator("en", "ko", device="cpu")
    assert "ctranslate2 int8" in single.describe()
    expected = _texts(_small_batches(single).translate(SENTENCES, "en", "ko"))
    assert len(set(expected)) > 1
    translator = _small_batches(backend.load_translator("en", "ko"))
    assert translator.describe() == single.describe()
    assert _texts(translator.translate(SENTENCES, "en", "ko")) == expected
    assert translator._generator("en", "ko").stats.batches == 4
