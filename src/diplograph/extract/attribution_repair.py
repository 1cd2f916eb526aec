"""Parse-based repairs of tagged attributions: news constructions a token tagger misses.

The CRF (``attribution_tagger``) labels tokens along the sentence, so news constructions
whose parts come in an unusual order defeat it. The dependency parse settles them:

* **the inverted cue** ('"It is a big concern," said Jane Roe, a party official.'):
  the speaker follows the verb, and the tagger leaves the source empty or files the name
  as content. The verb's subject (or the agent of a passive: "was asked by X") becomes
  the source, and it is cut out of any content. A subjectless participle cue ("After
  reciting the passage, Beck said ...") takes the subject of the clause it modifies.
* **the parenthetical cue** ("The economy, she said, is doing better."; "..., as he
  said"): the cue clause interrupts its content, and the tagger finds no content. The
  rest of the sentence outside the cue clause becomes the content, in up to two parts.
* **the sentence-final cue** ("X is a step toward war, analysts *claim*."): the tagger
  finds the cue and its speaker but no content; the cue's clausal complement before it
  becomes the content.
* **"according to X" with no content** ("Baku has no plans to join, according to an
  official."): the rest of the sentence.
* **the headline colon** ("Lavrov: NATO expansion is a threat"; "... - Jane Roe: “We
  found ...”"): a name, a colon and a clause, which the tagger rarely reads as an
  attribution at all. The colon becomes the cue, the name the source and the rest of the
  sentence the content (:func:`colon_attributions`).

Then :func:`tidy` trims a trailing conjunction off a content part and drops an
attribution whose whole content is an anonymity remark ("who asked not to be named").
Last, a rule attribution (``quotes.rule_attributions``) the tagger did not keep is added
back when the tagger itself gives its cue some probability (a cue marginal of at least
``RULE_CUE_MARGINAL``) and its spans are free (:func:`add_confident_rules`): the CRF's
Viterbi path drops such cues, its marginals still know them.

A repair fills only a role the tagger left empty, and only when the parse gives a clear
answer. It takes tokens no other attribution uses, except that a tagged cue inside the new
span gives way (a cue in the speaker's own description, a cue that is no reporting verb in an
according-to clause). The output stays univocal (each token plays one role in one
attribution), as PolNeAR annotates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .attribution_features import SUBJECTS
from .polarity import CHARGE_NOUNS
from .quotes import QUOTE_CHARS, Attribution, load_cue_lexicon, misattached_speaker
from .records import semicolon_before, text_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Children of a cue verb that carry what was said (never part of the cue clause).
_CONTENT_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "conj", "advcl", "cc"})
#: The longest cue clause ("Mr. de Vos, a former ambassador, noted") read as parenthetical.
_MAX_CUE_CLAUSE = 14
_EDGE = frozenset(",;:-—–\"'“”‘’()[]")


def _token_span(doc: Doc, span: tuple[int, int]) -> Span | None:
    return doc.char_span(span[0], span[1], alignment_mode="expand")


def _cue_head(cue: Span) -> Token:
    for tok in cue:
        if tok.lower_ == "according":
            return tok
    verbs = [t for t in cue if t.pos_ in ("VERB", "AUX")]
    return verbs[-1] if verbs else cue.root


def _speaker(verb: Token) -> list[Token]:
    """Tokens of a cue verb's speaker when it follows the verb: the subtree of a postposed
    subject ('"...," said X, a party official') or of the agent of a passive ("was asked by
    X"; without an "as ..." complement the parser hung on it)."""
    for ch in verb.children:
        if ch.dep_ == "agent":
            obj = next((g for g in ch.children if g.dep_ == "pobj"), None)
            if obj is None:
                return []
            cut = {t.i for g in obj.children if g.dep_ == "prep" and g.lower_ == "as" for t in g.subtree}
            return [t for t in obj.subtree if t.i not in cut]
    subj = next((ch for ch in verb.children if ch.dep_ == "nsubj"), None)
    if subj is not None and subj.i > verb.i and subj.lower_ != "it":
        return [t for t in subj.subtree if t.i > verb.i]
    return []


#: What precedes an inverted reporting verb: the end of the quotation it introduces.
_QUOTE_END = frozenset({",", "\"", "\u201d", "''", "\u2019"})


def _inverted_name(verb: Token) -> list[Token]:
    """The name after an inverted reporting verb the parser gave no subject
    ('"...," said David Brock, a confidant of ...'), with its description."""
    prev = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or prev is None or prev.text not in _QUOTE_END:
        return []
    if any(ch.dep_ in SUBJECTS for ch in verb.children):
        return []
    name: list[Token] = []
    rest = verb.doc[verb.i + 1 : verb.sent.end]
    for tok in rest:
        if tok.pos_ == "PROPN" or (tok.is_title and tok.pos_ in ("NOUN", "ADJ")) or (
            not name and tok.pos_ == "DET"
        ):
            name.append(tok)
            continue
        break
    if not any(t.pos_ == "PROPN" for t in name):
        return []
    after = verb.doc[name[-1].i + 1] if name[-1].i + 1 < verb.sent.end else None
    if after is not None and after.text == ",":  # 'said X, a party official': the description too
        return list(rest)
    return name


def _preposed_subject(verb: Token) -> list[Token]:
    """The subject before a reporting verb that the tagger left out ("Armenia has left the
    CSTO, *the alliance's secretariat* confirmed"): a reporting verb of the lexicon only,
    and not "it" or "there"."""
    if verb.lemma_.lower() not in load_cue_lexicon().verbs:
        return []
    subj = next((ch for ch in verb.children if ch.dep_ == "nsubj" and ch.i < verb.i), None)
    if subj is None or subj.lower_ in ("it", "there", "this", "that", "which"):
        return []
    return list(subj.subtree)


def _reporting(doc: Doc, cue: tuple[int, int]) -> bool:
    """True when a cue's words include a reporting verb of the lexicon or "according"."""
    span = _token_span(doc, cue)
    verbs = load_cue_lexicon().verbs
    return span is not None and any(t.lemma_.lower() in verbs or t.lower_ == "according" for t in span)


def _says_a_clause(doc: Doc, att: Attribution) -> bool:
    """True when an attribution's content holds a verb or a quotation mark: something said,
    not a stance on a noun phrase ("*agreed on* the full text of a treaty")."""
    text = text_of(doc)
    for start, end in att.content:
        part = doc.char_span(start, end, alignment_mode="expand")
        if any(q in text[start:end] for q in QUOTE_CHARS) or (
                part is not None and any(t.pos_ in ("VERB", "AUX") for t in part)):
            return True
    return False


def _clause_subject(verb: Token) -> list[Token]:
    """The subject of the clause a subjectless participle cue modifies: "After reciting
    the passage, Beck said ..." (pcomp), "Rubio had a strong moment, denouncing ..."
    (advcl), "Obama made history by nominating ..."; [] when there is none."""
    if verb.tag_ not in ("VBG", "VBN") or any(ch.dep_ in SUBJECTS for ch in verb.children):
        return []
    head = verb.head
    if verb.dep_ == "pcomp" and head.pos_ == "ADP":
        head = head.head
    elif verb.dep_ not in ("advcl", "xcomp", "conj"):
        return []
    if head.i == verb.i or head.pos_ not in ("VERB", "AUX"):
        return []
    subj = next((ch for ch in head.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ == "it":
        return []
    return list(subj.subtree)


def _runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Contiguous token runs -> character spans, trimmed of edge punctuation."""
    out: list[tuple[int, int]] = []
    run: list[Token] = []
    for tok in [*tokens, None]:
        if tok is not None and (not run or tok.i == run[-1].i + 1):
            run.append(tok)
            continue
        while run and (run[0].text in _EDGE or run[0].is_space):
            run.pop(0)
        while run and (run[-1].text in _EDGE or run[-1].is_space or run[-1].text == "."):
            run.pop()
        if run:
            out.append((run[0].idx, run[-1].idx + len(run[-1].text)))
        run = [tok] if tok is not None else []
    return out


def _used(atts: Sequence[Attribution], skip: Attribution | None = None) -> list[tuple[int, int]]:
    """Every span the attributions (but ``skip``) use: cues, sources and content parts."""
    return [p for a in atts if a is not skip for p in (a.cue, a.source, *a.content) if p]


def _free(span: tuple[int, int], used: list[tuple[int, int]]) -> bool:
    return not any(span[0] < b and a < span[1] for a, b in used)


def _content_outside(sent: Span, clause: set[int], used: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The sentence outside the cue clause as content parts, or () when that is not a
    clean clause (another attribution's material, no verb, a single word)."""
    rest = [t for t in sent if t.i not in clause and not t.is_space]
    words = [t for t in rest if not t.is_punct]
    if len(words) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in words):
        return ()
    parts = _runs(rest)
    if not parts or len(parts) > 2 or not all(_free(p, used) for p in parts):
        return ()
    return tuple(parts)


def _cut(parts: tuple[tuple[int, int], ...], span: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """``parts`` without the characters of ``span``."""
    out: list[tuple[int, int]] = []
    for a, b in parts:
        if b <= span[0] or a >= span[1]:
            out.append((a, b))
            continue
        if a < span[0]:
            out.append((a, span[0]))
        if span[1] < b:
            out.append((span[1], b))
    return tuple(p for p in out if p[1] > p[0])


def _parenthetical(head: Token) -> bool:
    """A cue clause set into its content: parataxis ("X, she said, is Y") or "as he said"."""
    return head.dep_ == "parataxis" or (
        head.dep_ == "advcl" and any(ch.dep_ == "mark" and ch.lower_ == "as" for ch in head.children)
    )


def _only_time(doc: Doc, content: tuple[tuple[int, int], ...]) -> bool:
    """Every word of the content is part of a date or time ("said on *Friday*")."""
    words = [t for a, b in content for t in (doc.char_span(a, b, alignment_mode="expand") or ())
             if not t.is_punct and t.lower_ not in {"on", "at", "in", "late", "early"}]
    return bool(words) and all(t.ent_type_ in {"DATE", "TIME"} for t in words)


def _clause_before(head: Token) -> set[int] | None:
    """The tokens of the clause a sentence-final cue reports, or None: the clausal
    complement of the sentence's root that ends before the cue (the root is the cue, or,
    in a misparse, its speaker: "..., *analysts* in the capital claim"), or, when the
    parser made the cue a comma-joined conjunct of the root with a subject of its own
    ("Turkey does not supply weapons, a senior official *said* on Friday"), the root's
    clause without the cue's."""
    root = head.sent.root
    first = min(head.i, root.i)
    # (not across a semicolon: "*Parliament backs EU bid*; Moscow warns of consequences")
    comps = [c for c in root.children if c.dep_ == "ccomp" and c.right_edge.i < first
             and not semicolon_before(c, first)]
    if len(comps) == 1:
        return {t.i for t in comps[0].subtree}
    if (
        head.dep_ == "conj" and head.head.i == root.i and root.i < head.i
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children)
        and not any(c.dep_ == "cc" and root.i < c.i < head.i for c in root.children)
    ):  # fmt: skip
        cue = {t.i for t in head.subtree}
        return {t.i for t in root.subtree} - cue
    return None


def _shared_subject(doc: Doc, head: Token, source: tuple[int, int] | None) -> tuple[int, int] | None:
    """The subject a coordinated cue verb shares with the verb before it, when the tagged
    source lies in that verb's object instead; None otherwise."""
    if source is None or head.dep_ != "conj" or head.pos_ != "VERB" or any(
            ch.dep_ in ("nsubj", "nsubjpass") for ch in head.children):
        return None
    first = head.head
    if head.tag_ in ("VBZ", "VBD", "VBP") and first.tag_ in ("VB", "VBG", "VBN"):
        # "deplores the decision *to suspend* ... and *calls on*": a finite verb the parser
        # hangs on an infinitive is coordinated with the finite verb above it
        first = next((a for a in first.ancestors if a.tag_ in ("VBZ", "VBD", "VBP")), first)
    subj = next((ch for ch in first.children if ch.dep_ == "nsubj"), None)
    span = _token_span(doc, source)
    if subj is None or span is None or not len(span) or not any(
            ch.dep_ == "dobj" and ch.left_edge.i <= span.root.i <= ch.right_edge.i for ch in first.children):
        return None
    return subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)


def _repair_one(doc: Doc, att: Attribution, out: list[Attribution]) -> tuple[Attribution, list[Attribution]]:
    """(the repaired attribution, the attributions that give way to it)."""
    cue = _token_span(doc, att.cue)
    if cue is None or not len(cue):
        return att, []
    head = _cue_head(cue)
    sent = head.sent
    source, content = att.source, att.content
    drop: list[Attribution] = []
    if source is None and att.kind != "according_to" and head.pos_ in ("VERB", "AUX"):
        # '"...," said X, a party official'; "After reciting the passage, Beck said"
        span = _runs(_speaker(head) or _clause_subject(head) or _inverted_name(head))
        if not span:  # the subject before the verb, when nothing else holds it
            span = [r for r in _runs(_preposed_subject(head))
                    if _free(r, _used(out, None))][:1]
        if span:
            source = span[0]
            # an attribution inside the speaker's own description ("X, who openly
            # supports Y") gives way: those tokens are the speaker's
            drop = [a for a in out if a is not att and not _free(a.cue, [source])]
    shared = _shared_subject(doc, head, source)
    if shared is not None:  # "The EU deplores *the government's decision* ... and *calls
        source = shared  # on* ...": the second verb's speaker is the subject they share
    if content and _only_time(doc, content):  # "said *on Friday*": no content at all
        content = ()
    if not content:
        live = [a for a in out if a not in drop]
        if att.kind == "according_to":
            clause = {t.i for t in head.subtree} | {t.i for t in cue}
            rest = (sent.start_char, sent.end_char)
            # a tagged cue in the reported clause that is no reporting verb is not one
            weak = [a for a in live if a is not att and not _free(a.cue, [rest])
                    and not _reporting(doc, a.cue)]
            content = _content_outside(
                sent, clause, _used([a for a in live if a not in weak], att))
            if content:
                drop += weak
        elif (before := _clause_before(head)) is not None:
            # "X is a step toward war, analysts in Moscow *claim*." (the tagger, and a
            # parser that tags the cue a noun, leave the clause before the cue unclaimed)
            # a tagged cue in that clause that is no reporting verb is not one ("Armenia
            # and Azerbaijan *have agreed on* the text, the two ministries said")
            reported = (min(doc[i].idx for i in before), max(doc[i].idx + len(doc[i]) for i in before))
            weak = [a for a in live if a is not att and not _free(a.cue, [reported])
                    and (not _reporting(doc, a.cue) or not _says_a_clause(doc, a))]
            used = _used([a for a in live if a not in weak], att) + ([source] if source else [])
            content = _content_outside(sent, {t.i for t in sent} - before, used)
            if content:
                drop += weak
        elif _parenthetical(head):
            clause = {head.i} | {t.i for t in cue}
            for ch in head.children:
                if ch.dep_ not in _CONTENT_DEPS:
                    clause |= {t.i for t in ch.subtree}
            if len(clause) <= _MAX_CUE_CLAUSE:
                used = _used(live, att) + ([source] if source else [])
                content = _content_outside(sent, clause, used)
    if source is not None and source != att.source:
        content = _cut(content, source)
    if (source, content) == (att.source, att.content):
        return att, drop
    return Attribution(att.kind, att.sentence, att.cue, source, content, att.frame), drop


def repair(doc: Doc, atts: Sequence[Attribution]) -> list[Attribution]:
    """``atts`` with the inverted-cue, parenthetical-cue and according-to repairs."""
    out = list(atts)
    for att in atts:
        if not any(a is att for a in out):
            continue  # gave way to an earlier repair
        fixed, drop = _repair_one(doc, att, out)
        out = [fixed if a is att else a for a in out if not any(a is d for d in drop)]
        if fixed.source is not None and fixed.source != att.source:
            # the speaker is no one's content
            out = [a if a is fixed or _free(fixed.source, list(a.content)) else
                   Attribution(a.kind, a.sentence, a.cue, a.source, _cut(a.content, fixed.source),
                               a.frame) for a in out]  # fmt: skip
    return out


#: Names that a colon follows in a headline, never speakers ("Update: ...", "Photo: ..."),
#: and an interview's question label ("Q: Will Kazakhstan recognize ...?": the interviewer).
_LABELS = frozenset({"update", "updated", "photo", "video", "note", "source", "related", "read",
                     "watch", "editor", "breaking", "live", "opinion", "analysis", "exclusive",
                     "q", "question", "commentary", "comment", "editorial", "explainer",
                     "explained", "factbox", "insight", "interview", "perspective", "viewpoint",
                     "op-ed", "podcast", "feature", "profile", "review", "timeline", "preview",
                     "obituary"})


def _colon_name(sent: Span, colon: Token) -> list[Token]:
    """The name before a headline colon: from the sentence start or a dash, 1-6 capitalized
    name words (with "and", initials and "'s"), not a label ("Update"), not an all-caps
    dateline ("BAKU") and not a possessed common noun ("Azerbaijan's Dilemma")."""
    start = sent.start
    for tok in sent.doc[sent.start : colon.i]:
        if tok.text in ("-", "\u2013", "\u2014", "|"):
            start = tok.i + 1
    name = [t for t in sent.doc[start : colon.i] if not t.is_space]
    if not 1 <= len(name) <= 6 or name[0].lower_ in _LABELS:
        return []
    if not all(t.pos_ == "PROPN" or (t.is_title and t.pos_ == "NOUN")
               or t.lower_ in ("and", "'s", "\u2019s", ".") for t in name):
        return []
    if all(t.is_upper for t in name if t.is_alpha):
        return []  # a dateline ("BAKU:") is no speaker
    if name[-1].pos_ == "NOUN" and any(t.lower_ in ("'s", "\u2019s") for t in name):
        return []  # a topic, not a speaker: "Azerbaijan's Dilemma: To Attend or Not"
    return name


def colon_attributions(doc: Doc, atts: Sequence[Attribution]) -> list[Attribution]:
    """``atts`` plus a headline-colon attribution for every "Name: clause" sentence whose
    colon, name and clause no attribution uses yet (in text order)."""
    used = _used(atts)
    added: list[Attribution] = []
    sents = list(doc.sents)
    for index, sent in enumerate(sents):
        colon = next((t for t in sent if t.text == ":"), None)
        if colon is None:
            continue
        name = _colon_name(sent, colon)
        if not name:
            continue
        end = sent.end
        if colon.i == sent.end - 1 and index + 1 < len(sents) and "\n" not in colon.whitespace_:
            end = sents[index + 1].end  # the parser ended the sentence at the colon
        rest = list(doc[colon.i + 1 : end])
        if any("\n" in t.text for t in rest):
            rest = rest[: next(k for k, t in enumerate(rest) if "\n" in t.text)]
        content = _runs(rest)[:1]
        words = [t for t in rest if not (t.is_punct or t.is_space)]
        if not content or len(words) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in words):
            continue  # "Name: a clause", not a list or a label
        cue = (colon.idx, colon.idx + 1)
        source = _runs(name)[0]
        if not all(_free(span, used) for span in (cue, source, content[0])):
            continue
        quoted = words[0].i > colon.i + 1 and doc[words[0].i - 1].text in ('"', "\u201c", "'", "\u2018")
        added.append(Attribution("direct" if quoted else "indirect", index, cue, source,
                                 tuple(content), "colon"))
    return sorted([*atts, *added], key=lambda a: a.cue)


def postposed_speakers(doc: Doc, atts: Sequence[Attribution]) -> list[Attribution]:
    """``atts`` plus an attribution for every sentence-final reporting verb whose speaker
    the parser hung inside the reported clause ("Kenya has not withdrawn its police from
    Haiti, Interior Cabinet Secretary Kipchumba Murkomen *said* on Friday": the name an
    apposition of "Haiti", "said" without a subject; ``quotes.misattached_speaker``). The
    speaker is the name, the content the clause before it; a tagged cue inside that clause
    or name that is no reporting verb gives way ("Kenya has not *withdrawn* its police")."""
    added: list[Attribution] = []
    out = list(atts)
    for index, sent in enumerate(doc.sents):
        for verb in sent:
            if verb.pos_ not in ("VERB", "AUX"):
                continue
            speaker = misattached_speaker(verb)
            if speaker is None:
                continue
            root = verb if verb.dep_ == "ROOT" else verb.head
            if root.left_edge.i != sent.start:
                continue
            source = _runs(list(doc[speaker.left_edge.i : verb.i]))
            content = _runs(list(doc[sent.start : speaker.left_edge.i]))
            cue = (verb.idx, verb.idx + len(verb.text))
            if not source or not content:
                continue
            region = [source[0], content[0]]
            weak = [a for a in out if (not _free(a.cue, region) and not _reporting(doc, a.cue))
                    or (a.cue == cue and not a.content and a.source is not None
                        and not _free(a.source, [content[0]]))]
            # (so does the same cue read with the clause's last noun as its speaker and no
            # content: "Ethiopia has not recognised Somaliland, a spokesman ... said")
            live = [a for a in out if a not in weak]
            if not all(_free(span, _used(live)) for span in (cue, source[0], content[0])):
                continue
            out = live
            added.append(Attribution("indirect", index, cue, source[0], (content[0],), "postposed"))
    return sorted([*out, *added], key=lambda a: a.cue)


#: The tagger's least cue marginal (B-CUE or I-CUE, on any token of the cue) at which a rule
#: attribution it did not keep is added back; chosen on the PolNeAR train tuning slice
#: (0.0 / 0.02 / 0.05 / 0.1 / 0.3 / 0.5 / none: source overlap F1 0.714 / 0.716 / 0.717 /
#: 0.716 / 0.714 / 0.711 / 0.710).
RULE_CUE_MARGINAL = 0.05


# "who asked not to be named", "spoke on condition of anonymity": a remark about the
# source, not something it said.
_ANONYMITY = re.compile(
    r"(?:not to be|to not be) (?:named|identified|quoted)|(?:on|under) (?:the )?condition"
    r" (?:of|that (?:he|she|they) not be named)|anonymously|of anonymity",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s,;:—–-]|\b(?:and|but|or|while|as)\b)+$", re.IGNORECASE)


#: "..., a charge Ethiopia denies", "..., a ruling China does not recognize": the noun the
#: clause is about, before the name that speaks, is not part of the source.
_LEAD_NOUNS = CHARGE_NOUNS | {"ruling", "decision", "verdict", "finding", "version", "move",
                              "view", "position", "notion"}
_CHARGE_LEAD = re.compile(
    r"(?:an?|the)\s+(?:" + "|".join(sorted(_LEAD_NOUNS)) + r")s?\s+(?=[A-Z])")


def tidy(text: str, found: Sequence[Attribution]) -> list[Attribution]:
    """Last touches on tagged attributions: a content part loses a trailing conjunction
    the tagger ran into ('wrote that Belgrade "is trying ..." *and* called on ...'), and
    an attribution whose whole content is an anonymity remark ("who asked *not to be
    named*") or whose source is a headline label ("Opinion: ...") is dropped, a source that opens a parenthesis takes its closing one, and a
    source loses a leading "a charge / a ruling ..." ("..., a ruling China does not
    recognize": China)."""
    out: list[Attribution] = []
    for att in found:
        parts = []
        for start, end in att.content:
            m = _TRAILING.search(text, start, end)
            cut = m.start() if m and m.end() == end else end
            if cut > start:
                parts.append((start, cut))
        if att.source is not None and len(parts) > 1:
            # the speaker's own phrase is no content: "*Russia, which brokered the 2020
            # ceasefire*, said it supported ..." (a part before the cue that holds the source)
            src = att.source
            parts = [p for p in parts if not (p[0] < src[1] and src[0] < p[1] and p[1] <= att.cue[0])]
        whole = " ".join(text[a:b] for a, b in parts).strip(" \"'“”")
        if parts and _ANONYMITY.fullmatch(whole):
            continue
        if att.source is not None and text[att.source[0]:att.source[1]].strip().lower() in _LABELS:
            continue  # a headline label before a colon: "*Opinion*: Why Serbia ..."
        source = att.source
        lead = _CHARGE_LEAD.match(text, *source) if source is not None else None
        if source is not None and lead is not None and lead.end() < source[1]:
            source = (lead.end(), source[1])  # "..., *a ruling* China does not recognize"
        if source is not None and text[source[1]:source[1] + 1] == ")" and (
            text.count("(", *source) > text.count(")", *source)
        ):  # "the Economic Community of West African States (ECOWAS*)*"
            source = (source[0], source[1] + 1)
        out.append(replace(att, content=tuple(parts) if parts else att.content, source=source))
    return out


def add_confident_rules(
    doc: Doc,
    found: Sequence[Attribution],
    rules: Sequence[Attribution],
    cue_probability: Callable[[int], float],
    threshold: float = RULE_CUE_MARGINAL,
) -> list[Attribution]:
    """``found`` plus each rule attribution whose cue, source and content no attribution
    uses and whose cue has a token with ``cue_probability(token index) >= threshold``."""
    used = _used(found)
    added: list[Attribution] = []
    for rule in rules:
        parts = [p for p in (rule.cue, rule.source, *rule.content) if p]
        if not all(_free(p, used) for p in parts):
            continue
        cue = _token_span(doc, rule.cue)
        if cue is None or max((cue_probability(t.i) for t in cue), default=0.0) < threshold:
            continue
        added.append(rule)
        used += parts
    return sorted([*found, *added], key=lambda a: a.cue) if added else list(found)
