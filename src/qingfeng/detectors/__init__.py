"""Detector kinds. Importing this package registers the built-in ones."""

from qingfeng.detectors import chatter, classifier, form, lexicon, patterns, score, timing, voice  # noqa: F401
