"""Candidate actor mentions over a document's tokens, and the picker that keeps them from
overlapping (``actors.find_mentions`` fills it; ``actor_context`` adds what the article's
other mentions resolve)."""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve import ContextRule


@dataclass(slots=True)
class Cand:
    """A candidate mention over tokens ``[start, end)``."""

    start: int
    end: int
    actor_id: str | None  # None: unresolved (name kept in ``name``) or context/ignore
    method: str
    sector: str | None = None
    label: str = "DICT"
    name: str | None = None  # unresolved name
    rule: ContextRule | None = None


class Picker:
    """Non-overlapping candidate spans over the tokens of one document."""

    def __init__(self, n: int) -> None:
        self.owner = [-1] * n
        self.cands: list[Cand | None] = []

    def free(self, start: int, end: int) -> bool:
        return all(o < 0 for o in self.owner[start:end])

    def take(self, cand: Cand) -> None:
        idx = len(self.cands)
        self.cands.append(cand)
        for i in range(cand.start, cand.end):
            self.owner[i] = idx

    def grow(self, idx: int, start: int, end: int) -> None:
        cand = self.cands[idx]
        assert cand is not None
        cand.start, cand.end = min(cand.start, start), max(cand.end, end)
        for i in range(cand.start, cand.end):
            self.owner[i] = idx

    def drop(self, idx: int) -> None:
        cand = self.cands[idx]
        if cand is not None:
            for i in range(cand.start, cand.end):
                self.owner[i] = -1
            self.cands[idx] = None

    def inside(self, start: int, end: int) -> list[int]:
        return sorted({o for o in self.owner[start:end] if o >= 0})
