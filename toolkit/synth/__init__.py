"""Synthetic corpora (clearly labelled synthetic), generated from our own phrase banks with a seed.

Submodules: ``tables`` (consistent statistical tables and their layouts), ``narrative``
(narrative sections with planted copied passages), and the corpus generator in this package.
"""
