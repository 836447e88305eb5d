"""Repairs of damaged text, one module (or package) per kind of damage.

Each repair is a pure ``str -> TextChange`` function named for the damage it
undoes (``repair_mojibake``: GBK read one byte out of step; ``remove_pinyin``:
inline annotations), with what it needs beside it (the GBK table, the
character model). A new kind of damage is a new module here and a line in
``cleaners/pipeline.py``'s ``STAGES``.
"""
