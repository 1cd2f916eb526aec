"""One exception hierarchy for diplograph.

::

    DiplographError            base: every error diplograph raises on purpose
    ├── InputError             a bad input (file, page, JSONL line); recorded and skipped
    ├── ExtractionError        an NLP stage failed on an article
    ├── ResolutionError        the actor dictionary is malformed
    ├── StoreError             the DuckDB store is unusable (locked, corrupt, wrong schema)
    ├── ConfigError            a setting or user file is invalid
    └── MissingExtraError      an optional extra ([web], [ray], [ml]) is not installed

Each error carries a searchable ``code`` (``E1xx`` input, ``E2xx`` extraction,
``E3xx`` resolution, ``E4xx`` store, ``E5xx`` config, ``E6xx`` extras). Programmer
errors raise ``TypeError``/``ValueError`` instead. Library code never prints or exits:
the CLI maps these errors to messages and exit codes.
"""

from __future__ import annotations


class DiplographError(Exception):
    """Base class of every error diplograph raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class InputError(DiplographError):
    """A bad input: empty, binary, wrong encoding, too large, no text, not English."""

    code = "E100"


class ExtractionError(DiplographError):
    """An NLP stage failed on an article."""

    code = "E200"


class ResolutionError(DiplographError):
    """The actor dictionary (built-in or user file) is malformed."""

    code = "E300"


class StoreError(DiplographError):
    """The store cannot be opened, migrated or written."""

    code = "E400"


class ConfigError(DiplographError):
    """A setting, environment variable or settings file is invalid."""

    code = "E500"


class MissingExtraError(DiplographError):
    """An optional dependency group is not installed; the message says what to install."""

    code = "E600"

    @classmethod
    def for_extra(cls, extra: str, module: str) -> MissingExtraError:
        return cls(
            f"{module} is not installed; install it with: pip install 'diplograph[{extra}]'",
            code="E601",
        )


# Input error codes: stable, documented in docs/errors.md and used in ingest_errors.code
E_EMPTY = "E101"  # empty or whitespace-only input
E_BINARY = "E102"  # binary content (NUL bytes, non-text magic numbers)
E_ENCODING = "E103"  # not decodable as UTF-8 or a declared charset
E_TOO_LARGE = "E104"  # over the size cap
E_NO_TEXT = "E105"  # HTML with no extractable article text
E_LANGUAGE = "E106"  # not English
E_FETCH = "E107"  # HTTP error, timeout, refused connection
E_CONTENT_TYPE = "E108"  # URL served a type we do not read
E_JSONL = "E109"  # malformed JSONL line or missing text/html field
E_UNSUPPORTED = "E110"  # unsupported file type
E_NOT_FOUND = "E111"  # path does not exist
