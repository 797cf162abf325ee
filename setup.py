"""Build the one C extension, ``toolkit._segment`` (jieba's HMM-off segmentation emitting codes).

Everything else is in pyproject.toml. The extension is optional: if it cannot be compiled
(no C compiler), the install still succeeds and ``toolkit.tokenize`` uses the rjieba backend.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("toolkit._segment", ["toolkit/_segment.c"], extra_compile_args=["-O2"], optional=True)])
