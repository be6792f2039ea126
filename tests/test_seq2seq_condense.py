"""The seq2seq condenser and the provenance aligner, on tiny models built at test time."""

from __future__ import annotations

import pytest

from briefing.condense.align import align_sentence, citations_for
from briefing.condense.seq2seq import Seq2SeqCondenser, chunk_by_budget
from briefing.ingest.sentences import split_sentences
from briefing.merge.support import check_support
from briefing.model import Article, Sentence
from briefing.seq2seq.cache import open_cache
from briefing.seq2seq.generation import Generator
from briefing.seq2seq.loading import load
from briefing.seq2seq.registry import GenerationSettings
from tests.tiny_models import tiny_model

pytestmark = pytest.mark.slow

SOURCE = [
    "Seoul police arrested 88 people over deepfake videos shared on Telegram.",
    "The arrests followed a three-month investigation by the National Office of Investigation.",
    "Officials said reports of deepfake abuse rose 53% in 2024.",
    "Telegram said it had removed the channels after a request from the regulator.",
    "Pavel Durov did not comment on the case.",
]


def make_article(lines: list[str], article_id: str = "a1", language: str = "en", heading: str | None = None) -> Article:
    """An article whose sentence i is on line i+1 (a heading, if any, on line 1 as a fragment)."""
    sentences = []
    offset = 0
    if heading:
        sentences.append(Sentence(heading, 1, 1, 0, 0, is_fragment=True))
        offset = 1
    for i, text in enumerate(lines):
        sentences.append(Sentence(text, i + 1 + offset, i + 1 + offset, i + offset, 1))
    return Article(id=article_id, path=f"in/{article_id}.txt", language=language, sentences=sentences)


# ------------------------------------------------------------------ aligner


def test_aligner_finds_the_supporting_sentence():
    article = make_article(SOURCE)
    a = align_sentence("Police in Seoul arrested 88 people over deepfake videos.", article.sentences)
    assert a.supported
    assert [s.index for s in a.sentences] == [0]


def test_aligner_spans_two_sentences_when_a_statement_combines_them():
    article = make_article(SOURCE)
    statement = "Police arrested 88 people after a three-month investigation by the National Office of Investigation."
    a = align_sentence(statement, article.sentences)
    assert a.supported
    assert [s.index for s in a.sentences] == [0, 1]
    cites = citations_for(article, a.sentences)
    assert len(cites) == 1 and (cites[0].line_start, cites[0].line_end) == (1, 2)
    assert check_support(statement, cites[0].quote).supported


def test_aligner_rejects_a_number_the_source_does_not_have():
    article = make_article(SOURCE)
    a = align_sentence("Seoul police arrested 95 people over deepfake videos shared on Telegram.", article.sentences)
    assert not a.supported
    assert any("95" in r for r in a.reasons)


def test_aligner_rejects_a_name_the_source_does_not_have():
    article = make_article(SOURCE)
    a = align_sentence("Elon Musk said Telegram removed the channels after a request.", article.sentences)
    assert not a.supported
    assert any("Elon Musk" in r for r in a.reasons)


def test_aligner_rejects_an_invented_statement():
    article = make_article(SOURCE)
    assert not align_sentence("Aliens landed in the harbour with glowing ships.", article.sentences).supported


def test_aligner_ignores_fragments():
    article = make_article(SOURCE, heading="Seoul police arrested 88 people deepfake Telegram")
    a = align_sentence("Seoul police arrested 88 people over deepfake videos shared on Telegram.", article.sentences)
    assert a.supported and all(not s.is_fragment for s in a.sentences)


def test_citations_split_non_adjacent_sentences():
    article = make_article(SOURCE)
    cites = citations_for(article, [article.sentences[0], article.sentences[2]])
    assert [(c.line_start, c.line_end) for c in cites] == [(1, 1), (3, 3)]
    assert cites[1].quote == SOURCE[2]


# ------------------------------------------------------------------ chunking


def test_chunks_respect_budget_and_overlap():
    lengths = [10, 10, 10, 10, 10, 10]
    chunks = chunk_by_budget(lengths, budget=30, overlap=1)
    assert chunks[0] == (0, 3)
    assert all(sum(lengths[a:b]) <= 30 for a, b in chunks)
    for (a1, b1), (a2, _) in zip(chunks, chunks[1:]):
        assert a2 == b1 - 1  # one sentence shared
    assert chunks[-1][1] == len(lengths)


def test_an_oversized_unit_is_its_own_chunk():
    assert chunk_by_budget([5, 100, 5], budget=20, overlap=0) == [(0, 1), (1, 2), (2, 3)]


# ------------------------------------------------------------------ condenser


class EchoInventGenerator(Generator):
    """A real Generator (tokenizer, batching plan, cache) whose model step is replaced by a
    deterministic stand-in: it returns the input's first sentence plus one invented sentence.
    The invented one must be dropped and counted; the echoed one must be cited."""

    def generate_uncached(self, texts, progress=None):
        self.stats.generated += len(texts)
        return [split_sentences(t)[0] + " Aliens landed in the harbour with 999 glowing ships." for t in texts]


@pytest.fixture(scope="module")
def bart():
    return load(str(tiny_model("bart")))


def test_condenser_cites_supported_sentences_and_drops_invented_ones(bart):
    articles = [make_article(SOURCE, "a1"), make_article(list(reversed(SOURCE)), "a2")]
    condenser = Seq2SeqCondenser({"en": EchoInventGenerator(bart)})
    points = condenser.condense(articles, per_article=3).points
    assert condenser.dropped_unsupported == 2
    assert all("999" in d.text for d in condenser.dropped)
    by_line = {a.id: {s.line_start: s.text for s in a.sentences} for a in articles}
    for article_id, pts in points.items():
        assert len(pts) == 1
        point = pts[0]
        assert point.origin == "seq2seq" and point.article_ids == [article_id]
        cited = [by_line[article_id][c.line_start] for c in point.citations]
        assert point.text in cited  # the echoed sentence is the cited line
    assert points["a1"][0].text == SOURCE[0]
    assert points["a2"][0].text == SOURCE[-1]


def test_long_article_is_chunked_and_reduced(bart):
    long_source = SOURCE * 6
    gen = EchoInventGenerator(bart, max_input_tokens=120)
    condenser = Seq2SeqCondenser({"en": gen}, overlap_sentences=1)
    points = condenser.condense([make_article(long_source)], per_article=5).points
    assert condenser.chunks > 1
    assert gen.stats.requested > condenser.chunks  # the map step plus at least one reduce step
    assert points["a1"] and all(p.citations for p in points["a1"])


def test_articles_without_a_generator_use_the_fallback(bart):
    from briefing.condense.extractive import ExtractiveCondenser

    ko = make_article(["경찰은 화요일 서울에서 88명을 체포했다고 밝혔다.", "텔레그램은 딥페이크 영상을 삭제하기로 했다."], "k1", "ko")
    condenser = Seq2SeqCondenser({"en": EchoInventGenerator(bart)}, fallback=ExtractiveCondenser())
    points = condenser.condense([make_article(SOURCE), ko], per_article=2).points
    assert condenser.fallback_articles == ["k1"]
    assert points["k1"] and all(p.origin == "extractive" for p in points["k1"])


@pytest.mark.parametrize("arch", ["bart", "t5"])
def test_real_tiny_model_end_to_end_is_deterministic_and_cached(arch, tmp_path):
    """Random weights write nonsense: whatever the model writes is either cited to lines that
    support it or dropped and counted, the same way twice, and the second run is a cache hit."""
    loaded = load(str(tiny_model(arch)))
    articles = [make_article(SOURCE * 3, "a1"), make_article(SOURCE[:2], "a2")]

    def run():
        settings = GenerationSettings(num_beams=2, max_new_tokens=12)
        gen = Generator(loaded, settings=settings, cache=open_cache(tmp_path), max_input_tokens=64)
        condenser = Seq2SeqCondenser({"en": gen})
        points = condenser.condense(articles, per_article=4).points
        return condenser, gen, points

    first, gen1, points1 = run()
    second, gen2, points2 = run()
    assert gen1.stats.generated > 0
    assert gen2.stats.generated == 0 and gen2.stats.cache_hits == gen1.stats.requested
    assert points1 == points2
    assert first.dropped_unsupported == second.dropped_unsupported
    for pts in points1.values():
        for p in pts:
            assert check_support(p.text, " ".join(c.quote for c in p.citations)).supported
    assert "seq2seq" in first.describe()
