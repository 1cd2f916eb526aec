"""The diplograph web UI and JSON API (needs the ``[web]`` extra).

``create_app`` and ``serve`` are imported lazily so that ``import diplograph.web`` works
without FastAPI installed and reports a helpful :class:`MissingExtraError` on use.
"""

from __future__ import annotations

from typing import Any

from ..errors import MissingExtraError


def _app_module() -> Any:
    try:
        from . import app
    except ImportError as exc:  # fastapi, uvicorn or jinja2 missing
        raise MissingExtraError.for_extra("web", exc.name or "fastapi") from exc
    return app


def create_app(*args: Any, **kwargs: Any) -> Any:
    """See :func:`diplograph.web.app.create_app`."""
    return _app_module().create_app(*args, **kwargs)


def serve(*args: Any, **kwargs: Any) -> None:
    """See :func:`diplograph.web.app.serve`."""
    _app_module().serve(*args, **kwargs)


__all__ = ["create_app", "serve"]
