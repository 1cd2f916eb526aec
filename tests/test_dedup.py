"""Tests for dedup.py: MinHash signatures, LSH index, reprint marking."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from pathlib import Path

import pytest

from diplograph.dedup import (
    ReprintIndex,
    containment,
    lsh_bands,
    mark_reprints,
    set_size,
    shingles,
    signature,
    similarity,
)
from diplograph.model import Article, content_id
from diplograph.settings import Settings

SETTINGS = Settings()
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"
VOCAB = [f"w{i}" for i in range(5000)]


def words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VOCAB) for _ in range(n)]


def article(text: str, published: str | None = None, origin: str = "x") -> Article:
    return Article(
        id=content_id(text),
        text=text,
        title=None,
        outlet=None,
        author=None,
        published=published,
        published_source="unknown" if published is None else "metadata",
        origin=origin,
        url=None,
        lang="en",
        word_count=len(text.split()),
    )


def edited(base: list[str], n_changes: int, seed: int, intro: bool = True) -> list[str]:
    """A copy with (optionally) a new intro and ``n_changes`` single-word substitutions."""
    rng = random.Random(seed)
    out = (words(15, seed + 1000) if intro else []) + list(base)
    for _ in range(n_changes):
        out[rng.randrange(len(out))] = rng.choice(VOCAB)
    return out


def true_jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a, SETTINGS.shingle_size), shingles(b, SETTINGS.shingle_size)
    return len(sa & sb) / len(sa | sb)


def test_signature_is_deterministic_and_normalized() -> None:
    text = " ".join(words(300, 1))
    sig = signature(text, SETTINGS)
    assert len(sig) == SETTINGS.minhash_perm
    assert all(isinstance(v, int) and 0 <= v < 2**32 for v in sig)
    assert signature(text, SETTINGS) == sig
    assert signature("  " + text.upper().replace(" ", "\n "), SETTINGS) == sig
    assert signature(" ".join(words(300, 2)), SETTINGS) != sig


def test_short_and_empty_texts_have_signatures() -> None:
    assert len(signature("too short", SETTINGS)) == SETTINGS.minhash_perm
    assert signature("", SETTINGS) == [2**32 - 1] * SETTINGS.minhash_perm


@pytest.mark.parametrize("n_changes", [0, 10, 25, 60, 150])
def test_estimate_tracks_true_jaccard(n_changes: int) -> None:
    base = words(400, 7)
    a, b = " ".join(base), " ".join(edited(base, n_changes, 8))
    est = similarity(signature(a, SETTINGS), signature(b, SETTINGS))
    # 128 permutations: standard error <= 0.045; allow ~3.5 sigma
    assert abs(est - true_jaccard(a, b)) < 0.16


def test_lsh_bands_put_the_s_curve_near_the_threshold() -> None:
    for threshold in (0.5, 0.6, 0.8):
        bands, rows = lsh_bands(threshold, 128)
        assert bands * rows <= 128
        knee = (1 / bands) ** (1 / rows)
        assert abs(knee - threshold) < 0.15
        # pairs at the threshold share a band (become candidates) most of the time
        assert 1 - (1 - threshold**rows) ** bands > 0.7
        assert 1 - (1 - (threshold / 2) ** rows) ** bands < 0.15
    with pytest.raises(ValueError):
        lsh_bands(1.5, 128)


def test_index_finds_reprints_and_only_compares_candidates() -> None:
    index = ReprintIndex(SETTINGS)
    texts = {f"doc{i}": " ".join(words(300, 100 + i)) for i in range(300)}
    for doc_id, text in texts.items():
        index.add(doc_id, signature(text, SETTINGS))
    assert len(index) == 300
    reprint = " ".join(edited(texts["doc42"].split(), 12, 5))
    hit = index.find(signature(reprint, SETTINGS))
    assert hit is not None and hit[0] == "doc42" and hit[1] >= SETTINGS.reprint_threshold
    unrelated = signature(" ".join(words(300, 99_999)), SETTINGS)
    assert index.find(unrelated) is None
    assert len(index.candidates(unrelated)) < 10  # banding: not a scan of all 300


def test_moderately_similar_texts_are_not_reprints() -> None:
    base = words(400, 3)
    other = base[:120] + words(280, 4)  # shares about a quarter of its shingles
    a, b = " ".join(base), " ".join(other)
    assert true_jaccard(a, b) < 0.3
    index = ReprintIndex(SETTINGS)
    index.add("a", signature(a, SETTINGS))
    assert index.find(signature(b, SETTINGS)) is None


def test_index_round_trips_through_stored_signatures() -> None:
    docs = [(f"d{i}", " ".join(words(200, 500 + i)), f"2020-01-{i + 1:02d}") for i in range(20)]
    index = ReprintIndex(SETTINGS)
    for doc_id, text, published in docs:
        index.add(doc_id, signature(text, SETTINGS), published)
    stored: list[tuple[str, str | None, list[int] | None]] = [
        (d, p, index.signature_of(d)) for d, _, p in docs
    ]
    stored.append(("bad", None, [1, 2, 3]))  # a signature from other settings is skipped
    stored.append(("none", None, None))
    rebuilt = ReprintIndex.from_signatures(stored, SETTINGS)
    assert len(rebuilt) == 20 and "bad" not in rebuilt and "none" not in rebuilt
    query = signature(" ".join(edited(docs[7][1].split(), 5, 1)), SETTINGS)
    assert rebuilt.find(query) == index.find(query)
    assert rebuilt.find(query)[0] == "d7"  # type: ignore[index]
    with pytest.raises(ValueError):
        index.add("short", [1, 2, 3])


def test_mark_reprints_in_a_stream() -> None:
    base = words(300, 11)
    original = article(" ".join(base), "2021-05-01", "a.txt")
    copy = article(" ".join(edited(base, 8, 12)), "2021-05-03", "b.txt")
    other = article(" ".join(words(300, 13)), None, "c.txt")
    index = ReprintIndex(SETTINGS)
    out = list(mark_reprints([original, copy, other, original], index, SETTINGS))
    assert [a.reprint_of for a in out] == [None, original.id, None, None]
    assert SETTINGS.reprint_threshold <= out[1].similarity <= 1.0  # type: ignore[operator]
    assert out[3] is original  # the same content id is the same article, not a reprint
    assert len(index) == 3 and index.relinks == []
    assert index.signature_of(copy.id) == signature(copy.text, SETTINGS)


def test_earlier_published_article_seen_later_is_the_original() -> None:
    base = words(300, 21)
    late = article(" ".join(base), "2022-03-10")
    early = article(" ".join(edited(base, 3, 22, intro=False)), "2022-03-01")
    later_copy = article(" ".join(edited(base, 3, 23, intro=False)), "2022-04-01")
    index = ReprintIndex(SETTINGS)
    out = list(mark_reprints([late, early, later_copy], index, SETTINGS))
    assert out[0].reprint_of is None and out[1].reprint_of is None
    (relink,) = index.relinks
    assert (relink.reprint, relink.original) == (late.id, early.id)
    assert out[2].reprint_of == early.id  # the earliest published match is the original


def test_threshold_setting_is_respected() -> None:
    base = words(400, 31)
    a, b = " ".join(base), " ".join(edited(base, 60, 32))
    est = similarity(signature(a, SETTINGS), signature(b, SETTINGS))
    strict = replace(SETTINGS, reprint_threshold=min(0.95, est + 0.1))
    loose = replace(SETTINGS, reprint_threshold=max(0.05, est - 0.1))
    for settings, expect in ((strict, None), (loose, "a")):
        index = ReprintIndex(settings)
        index.add("a", signature(a, settings))
        hit = index.find(signature(b, settings))
        assert (hit[0] if hit else None) == expect


@pytest.mark.parametrize("n", [50, 200, 1000, 5000])
def test_set_size_is_estimated_from_the_signature(n: int) -> None:
    text = " ".join(words(n + SETTINGS.shingle_size - 1, n))
    true = len(shingles(text, SETTINGS.shingle_size))
    assert abs(set_size(signature(text, SETTINGS)) - true) <= 0.3 * true


def test_containment_formula() -> None:
    # A = 100 shingles, B = 50 of them: J = 0.5, all of B inside A
    assert containment(0.5, 100, 50) == pytest.approx(1.0)
    assert containment(0.0, 100, 50) == 0.0


def test_a_condensed_copy_is_a_reprint() -> None:
    base = words(600, 41)
    original = article(" ".join(base), "2026-01-01")
    condensed = article(" ".join(base[:300]) + " Reporting by the wire.", "2026-01-02")
    assert true_jaccard(original.text, condensed.text) < SETTINGS.reprint_threshold
    index = ReprintIndex(SETTINGS)
    out = list(mark_reprints([original, condensed], index, SETTINGS))
    assert out[1].reprint_of == original.id and out[1].similarity >= SETTINGS.reprint_containment
    # a short text that shares only a quoted paragraph, or is a small part of a long one,
    # is no reprint
    quoting = article(" ".join(words(500, 42) + base[:60]), "2026-01-03")
    tiny = article(" ".join(base[:70]), "2026-01-04")
    out = list(mark_reprints([quoting, tiny], index, SETTINGS))
    assert out[0].reprint_of is None
    assert out[1].reprint_of is None  # 70 of 300 or 600 words: under 30 % of either
    off = replace(SETTINGS, reprint_containment=1.01)
    fresh = ReprintIndex(off)
    assert list(mark_reprints([original, condensed], fresh, off))[1].reprint_of is None


def test_seeds_are_not_reprints_of_each_other() -> None:
    """Seed 000 says it reprints another outlet's piece; that piece is not among the seeds."""
    if not SEEDS.is_dir():
        pytest.skip("shared seed corpus not available")
    texts = {p.name[:3]: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    sigs = {k: signature(t, SETTINGS) for k, t in texts.items()}
    for x, y in itertools.combinations(sigs, 2):
        assert similarity(sigs[x], sigs[y]) < 0.1, (x, y)


def test_reprint_statement_names_the_original_outlet() -> None:
    from diplograph.dedup import reprint_statement

    head = (
        "The Example Digest website has published an article on regional security. "
        "Our paper reprints the article in full.\n" + "Body text. " * 50
    )
    assert reprint_statement(head) == "Example Digest"
    tail = "Body text. " * 50 + "\nThis analysis was originally published by the Caspian Ledger."
    assert reprint_statement(tail) == "Caspian Ledger"
    assert reprint_statement("Ministers met on Monday and published a joint article.") is None


def test_reprinting_outlet_names_the_outlet_that_reprints() -> None:
    from diplograph.dedup import reprinting_outlet

    head = ("The Example Digest website has published an article on regional security. "
            "Caspian Ledger reprints the article.\n" + "Body text. " * 50)  # fmt: skip
    assert reprinting_outlet(head) == "Caspian Ledger"
    assert reprinting_outlet("Body text. " * 50 + "\nThe Steppe Post republishes this piece.") == "Steppe Post"
    assert reprinting_outlet("Our paper reprints the article in full. " + "Body. " * 20) is None
    assert reprinting_outlet("Ministers said the agency reprints the article.") is None
