"""Detector kinds. Importing this package registers the built-in ones."""

from qingfeng.detectors import classifier, lexicon, patterns, score  # noqa: F401
