"""清风 qingfeng — conduct-compliance checks for work messaging."""

__version__ = "0.1.0"

from qingfeng.engine import Checker  # noqa: E402
from qingfeng.models import Finding, Message  # noqa: E402

__all__ = ["Checker", "Finding", "Message", "__version__"]
