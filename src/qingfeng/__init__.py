"""清风 qingfeng — conduct-compliance checks for work messaging."""

__version__ = "0.1.0"

from qingfeng.engine import Checker
from qingfeng.models import Finding, Message

__all__ = ["Checker", "Finding", "Message", "__version__"]
