"""DuckDB extensions that ship as Python packages, loaded by path (never downloaded).

DuckDB's ``INSTALL fts`` fetches the extension from DuckDB's extension server, which an
offline machine cannot reach. The PyPI package ``duckdb-extension-fts`` ships the same
binary inside a wheel, at ``duckdb_extension_fts/extensions/v<duckdb version>/
fts.duckdb_extension``; an extension binary only loads into the exact DuckDB version it
was built for, which is why ``pyproject.toml`` pins ``duckdb`` and
``duckdb-extension-fts`` to the same version.

Usage::

    from diplograph.store import Store
    with Store.open(path) as store:
        store.load_fts()          # or: load_fts(store.con)

Errors are :class:`~diplograph.errors.StoreError`: ``E440`` when the packaged extension
(for this DuckDB version) is not installed, ``E441`` when DuckDB refuses to load it.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import duckdb

from ..errors import StoreError

#: The package that ships the full-text search extension, and the extension's name.
FTS_PACKAGE = "duckdb_extension_fts"
FTS_EXTENSION = "fts"


def fts_extension_path() -> Path:
    """Where the packaged ``fts`` extension for the running DuckDB version lies.

    Raises :class:`StoreError` ``E440`` when the package is missing or was built for
    another DuckDB version.
    """
    version = duckdb.__version__
    hint = f"install it with: pip install 'duckdb-extension-fts=={version}'"
    try:
        root = importlib.resources.files(FTS_PACKAGE)
    except ModuleNotFoundError as exc:
        raise StoreError(f"DuckDB's fts extension is not installed; {hint}", code="E440") from exc
    path = Path(str(root / "extensions" / f"v{version}" / f"{FTS_EXTENSION}.duckdb_extension"))
    if not path.is_file():
        raise StoreError(
            f"no fts extension for DuckDB {version} in {Path(str(root))}; {hint}", code="E440"
        )
    return path


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the packaged ``fts`` extension into ``con``'s database (idempotent).

    Once loaded, every cursor of the same database can use ``PRAGMA create_fts_index``,
    ``fts_main_<table>.match_bm25`` and ``stem``.
    """
    loaded = con.execute(
        "SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [FTS_EXTENSION]
    ).fetchone()
    if loaded and loaded[0]:
        return
    path = fts_extension_path()
    quoted = str(path).replace("'", "''")
    try:
        con.execute(f"LOAD '{quoted}'")
    except duckdb.Error as exc:
        raise StoreError(f"cannot load DuckDB's fts extension from {path}: {exc}",
                         code="E441") from exc  # fmt: skip
