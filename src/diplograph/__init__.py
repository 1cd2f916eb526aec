"""diplograph: a source-attributed, time-aware model of international relations from news.

The public API re-exported here is small and stable; see docs/python-api.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    ConfigError,
    DiplographError,
    ExtractionError,
    InputError,
    MissingExtraError,
    ResolutionError,
    StoreError,
)
from .model import (
    Actor,
    Annotations,
    Article,
    Claim,
    Event,
    IngestError,
    Mention,
    RawDocument,
    Role,
    Sentence,
    TimeExpr,
    content_id,
)
from .settings import Settings, load_settings

__all__ = [
    "Actor",
    "Annotations",
    "Article",
    "Claim",
    "ConfigError",
    "DiplographError",
    "Event",
    "ExtractionError",
    "IngestError",
    "InputError",
    "Mention",
    "MissingExtraError",
    "RawDocument",
    "ResolutionError",
    "Role",
    "Sentence",
    "Settings",
    "StoreError",
    "TimeExpr",
    "__version__",
    "content_id",
    "load_settings",
]
