"""The extract stage: ``Article -> Annotations`` (sentences, mentions, timexes, events, claims).

Public API::

    build_nlp(settings) -> spacy.Language          (loaded once per process and model)
    extract(articles, nlp, gazetteer, *, batch_size=32, n_process=1, settings=None)
        -> Iterator[Annotations]
    extractor_version(names, gazetteer, settings) -> str   ("diplograph.actors@11+...")
    register_annotator(name, *, factory=False, variant=None)   (decorator, see below)

Annotators
----------
The stage parses each article once (``nlp.pipe(..., as_tuples=True)``), computes its
sentences, then runs the registered *annotators* in order. An annotator reads the parsed
document and returns new records under ``Annotations`` field names::

    def annotate(doc: Doc, article: Article, gazetteer: Gazetteer) -> dict[str, tuple]:
        return {"timexes": (...)}          # keys: mentions, timexes, events, claims

Later annotators see what earlier ones found through ``records.found(doc)`` (events
read ``found(doc)["mentions"]`` and ``["timexes"]``). An annotator that needs set-up (a
matcher, a lexicon, a setting) registers a *factory* ``(nlp, gazetteer, settings) ->
annotate`` instead (``factory=True``); it is called once per ``extract()`` call and should
cache its own heavy state. Names are versioned (``"diplograph.dates@2"``): bump the version when the
output changes, and the store re-extracts every article.

The built-ins are registered exactly like outside annotators, in
:func:`_register_builtins` at the end of this module: **add new stages there**.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ExtractionError
from ..model import Annotations, Article
from ..resolve import Gazetteer
from ..settings import Settings
from . import records
from .headline import sentence_cased, with_original_words
from .segment import add_paragraph_breaks

__all__ = [
    "ANNOTATORS",
    "Annotate",
    "AnnotatorFactory",
    "annotator_names",
    "build_nlp",
    "extract",
    "extractor_version",
    "register_annotator",
]

log = logging.getLogger(__name__)

Annotate = Callable[[Doc, Article, Gazetteer], dict[str, tuple[Any, ...]]]
AnnotatorFactory = Callable[[Language, Gazetteer, Settings], Annotate]
Variant = Callable[[Settings], str]
F = TypeVar("F", bound=Callable[..., Any])

FIELDS = ("mentions", "timexes", "events", "claims")  # what annotators may return
ANNOTATORS: dict[str, AnnotatorFactory] = {}  # versioned name -> factory, in run order
VARIANTS: dict[str, Variant] = {}  # versioned name -> settings-dependent variant tag


def register_annotator(
    name: str, *, factory: bool = False, replace: bool = False, variant: Variant | None = None
) -> Callable[[F], F]:
    """Register an annotator (or, with ``factory=True``, an annotator factory) as ``name``.

    ``name`` is ``"package.thing@version"``. A factory is called once per worker as
    ``factory(nlp, gazetteer, settings)``. ``variant(settings)``, when given, names the
    settings that change the annotator's output (e.g. ``"minilm"``); it becomes part of
    the extractor version, so changing such a setting makes stored articles pending.
    Registering a taken name raises ``ValueError`` unless ``replace=True``.
    """
    if "@" not in name:
        raise ValueError(f"annotator name {name!r} must carry a version: 'pkg.name@1'")

    def decorator(fn: F) -> F:
        if name in ANNOTATORS and not replace:
            raise ValueError(f"annotator {name!r} is already registered")
        if factory:
            ANNOTATORS[name] = fn
        else:
            ANNOTATORS[name] = lambda nlp, gazetteer, settings: fn
        if variant is not None:
            VARIANTS[name] = variant
        else:
            VARIANTS.pop(name, None)
        return fn

    return decorator


def annotator_names() -> tuple[str, ...]:
    """Registered annotators, in the order they run."""
    return tuple(ANNOTATORS)


def extractor_version(
    names: Sequence[str] | None = None,
    gazetteer: Gazetteer | None = None,
    settings: Settings | None = None,
) -> str:
    """The ``Annotations.extractor`` string: the annotators' versioned names joined by "+".

    With ``settings``, an annotator's variant tag is added to its name
    (``diplograph.events@14:minilm``); with a gazetteer, its content hash is appended.
    Either way, editing the actor dictionary or such a setting makes stored articles
    pending again.
    """
    parts = []
    for name in annotator_names() if names is None else names:
        tag = VARIANTS[name](settings) if settings is not None and name in VARIANTS else ""
        parts.append(f"{name}:{tag}" if tag else name)
    version = "+".join(parts)
    return f"{version}+gazetteer:{gazetteer.version}" if gazetteer is not None else version


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    try:
        return add_paragraph_breaks(spacy.load(model))
    except OSError as exc:
        raise ExtractionError(
            f"spaCy model {model!r} is not installed (setting spacy_model): {exc}", code="E201"
        ) from exc


def build_nlp(settings: Settings) -> Language:
    """The spaCy pipeline named by ``settings.spacy_model``, loaded once per process.

    The one component we add is :mod:`.segment`'s (sentence starts at paragraph breaks,
    before the parser); the annotators work on the pipeline's output, so ``n_process > 1``
    parses in worker processes while annotators run in this one.
    """
    return _load(settings.spacy_model)


_NAME_WORDS: WeakKeyDictionary[Gazetteer, frozenset[str]] = WeakKeyDictionary()


def name_words(gazetteer: Gazetteer) -> frozenset[str]:
    """The capitalized words of the names the gazetteer knows (its aliases and short
    names; not the phrases it ignores), computed once per gazetteer."""
    key = gazetteer
    if key not in _NAME_WORDS:
        _NAME_WORDS[key] = frozenset(
            w for category, _, form in gazetteer.patterns() if category in ("A", "S")
            for w in form.split() if w[:1].isupper())
    return _NAME_WORDS[key]


def _annotate(
    doc: Doc,
    article: Article,
    gazetteer: Gazetteer,
    steps: Sequence[tuple[str, Annotate]],
    version: str,
) -> Annotations:
    results: dict[str, tuple[Any, ...]] = {"sentences": records.sentences(doc, article.id)}
    doc.user_data[records.RESULTS_KEY] = results
    for name, annotate in steps:
        for field, found in annotate(doc, article, gazetteer).items():
            if field not in FIELDS:
                raise ValueError(f"annotator {name!r} returned unknown field {field!r}")
            results[field] = results.get(field, ()) + tuple(found)
    return Annotations(article_id=article.id, extractor=version, **results)


def extract(
    articles: Iterable[Article],
    nlp: Language,
    gazetteer: Gazetteer,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    annotators: Sequence[str] | None = None,
    strict: bool = False,
    settings: Settings | None = None,
) -> Iterator[Annotations]:
    """Parse articles with ``nlp`` and yield one ``Annotations`` per article, in order.

    ``annotators`` picks registered annotators by name (default: all, in order). An
    article whose annotation fails is logged and skipped (it stays pending in the
    store), unless ``strict`` is true: then :class:`ExtractionError` (``E202``) is
    raised. Texts longer than ``nlp.max_length`` are cut there, with a warning, so
    offsets stay valid. ``settings`` (default: the shipped defaults) reach the annotator
    factories, e.g. ``event_encoder``.
    """
    names = annotator_names() if annotators is None else tuple(annotators)
    unknown = [n for n in names if n not in ANNOTATORS]
    if unknown:
        raise ValueError(f"unknown annotator(s) {unknown}; registered: {annotator_names()}")
    settings = settings if settings is not None else Settings()
    steps = [(name, ANNOTATORS[name](nlp, gazetteer, settings)) for name in names]
    version = extractor_version(names, gazetteer, settings)
    limit = nlp.max_length
    known = name_words(gazetteer)

    def texts() -> Iterator[tuple[str, tuple[Article, str | None]]]:
        for article in articles:
            text = article.text
            if len(text) > limit:
                log.warning("article %s: %d chars, only the first %d are read",
                            article.id, len(text), limit)  # fmt: skip
                text = text[:limit]
            cased = sentence_cased(text, known)  # a title-case headline is parsed in sentence case
            yield (cased, (article, text)) if cased is not None else (text, (article, None))

    docs = nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, (article, original) in docs:
        if original is not None:
            doc = with_original_words(doc, original)
        try:
            result = _annotate(doc, article, gazetteer, steps, version)
        except Exception as exc:  # one bad article must not end the batch
            if strict:
                raise ExtractionError(f"article {article.id}: {exc!r}", code="E202") from exc
            log.exception("article %s: extraction failed, skipped", article.id)
            continue
        finally:
            doc.user_data.pop(records.RESULTS_KEY, None)
        yield result


def _register_builtins() -> None:
    """The built-in annotators, registered through the same hook as any other.

    Order matters: later annotators read earlier results with ``records.found(doc)``.
    """
    from . import actors, claims, dates, events, quotes

    register_annotator(actors.EXTRACTOR, factory=True)(
        lambda nlp, gazetteer, settings: actors.make_annotator(nlp, gazetteer))

    def annotate_dates(doc: Doc, article: Article, gazetteer: Gazetteer) -> dict[str, tuple]:
        return dates.annotate_dates(doc, article)

    register_annotator(dates.EXTRACTOR)(annotate_dates)
    register_annotator(events.EXTRACTOR, factory=True, variant=events.variant)(
        lambda nlp, gazetteer, settings: events.make_annotator(settings.event_encoder))
    register_annotator(quotes.EXTRACTOR, factory=True, variant=quotes.variant)(
        lambda nlp, gazetteer, settings: claims.make_annotator(settings.quote_encoder))


_register_builtins()
