"""Detector kinds. Importing this package registers the built-in ones."""

from qingfeng.detectors import lexicon, patterns, score  # noqa: F401
