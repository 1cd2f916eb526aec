"""Static pieces of the HTML report: the stylesheet (``report.css``) and SVG drawing."""

from __future__ import annotations

from importlib import resources


def stylesheet() -> str:
    """The report's CSS, inlined into every report (no external requests at view time)."""
    return resources.files(__name__).joinpath("report.css").read_text("utf-8")
