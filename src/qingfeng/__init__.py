"""清风 qingfeng — conduct-compliance checks for work messaging.

The public names load on first use (PEP 562), so importing one layer (``qingfeng.core.models``, say) does not
pull in the engine above it."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {"Checker": "qingfeng.pipeline.engine", "Finding": "qingfeng.core.models",
           "Message": "qingfeng.core.models"}

if TYPE_CHECKING:
    from qingfeng.core.models import Finding, Message
    from qingfeng.pipeline.engine import Checker


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'qingfeng' has no attribute {name!r}")


__all__ = ["Checker", "Finding", "Message", "__version__"]
