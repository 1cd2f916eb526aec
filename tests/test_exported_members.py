"""The public API in __init__ and its sorted __all__ agree."""

import diplograph


def test_all_is_sorted_and_exported() -> None:
    assert diplograph.__all__ == sorted(diplograph.__all__)
    public = {n for n in dir(diplograph) if not n.startswith("_") and n not in {"annotations"}}
    modules = {n for n in public if type(getattr(diplograph, n)).__name__ == "module"}
    assert set(diplograph.__all__) - {"__version__"} == public - modules
