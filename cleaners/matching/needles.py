"""Literal pre-screens for regexes: strings one of which every match must contain.

A chrome or notice rule is a regex run over the folded shadow of a page, line
by line. Most lines cannot match: a rule about ``登录后查看全文`` needs ``查看``,
``阅读`` … somewhere in the line. :func:`needles` reads a compiled pattern and
returns a few literal strings such that **any string the pattern matches in
(search, match or fullmatch) contains at least one of them**; testing them with
``in`` (C-level substring search) is far cheaper than running the regex, whose
leading ``[^\\n。]{0,30}`` parts cost up to thirty steps per character.

The derivation is conservative: where it cannot prove a literal is required it
gives ``None`` (no pre-screen: always run the regex). It reads the pattern with
the standard library's own regex parser (``re._parser``, the module behind
``re.compile``), so it sees exactly what the regex engine sees.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]  # the regex parser: private, no stubs
from re import _parser  # type: ignore[attr-defined]

import numpy as np

from cleaners.codepoints import code_points

MAX_CLASS = 16  # a character class of up to this many literal characters is a set of one-character needles
MAX_NEEDLES = 64
MAX_REPEATED = 8  # a repeated literal is a needle of up to this many characters


def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which is in every string ``pattern`` can match; None when none can be proven.

    >>> needles(re.compile(r"[^\\n]{0,30}(?:登录|注册)后?(?:查看|阅读)全文"))
    ('全文',)
    >>> needles(re.compile(r"\\d+字")), needles(re.compile(r"\\d+"))
    (('字',), None)
    """
    if pattern.flags & (re.IGNORECASE | re.LOCALE) or not isinstance(pattern.pattern, str):
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    found = _sequence(list(tree))
    if not found or "" in found or len(found) > MAX_NEEDLES:
        return None
    return tuple(sorted(found))


def needle_sets(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    """Every set of literals of which a match must hold one, best first (all of them are required).

    ``登录后查看全文`` needs one of the log-in words *and* one of the reading words
    *and* ``全文``: a line of prose that mentions 阅读 is not a candidate.

    >>> needle_sets(re.compile(r"(?:登录|注册)后?(?:查看|阅读)全文"))
    (('全文',), ('注册', '登录'), ('查看', '阅读'))
    """
    if needles(pattern) is None:
        return ()
    tree = _parser.parse(pattern.pattern, pattern.flags)
    options = _options(list(tree))
    usable = [o for o in options if o and "" not in o and len(o) <= MAX_NEEDLES]
    usable.sort(key=_strength, reverse=True)
    return tuple(tuple(sorted(o)) for o in usable)


def _options(items: list) -> list[set[str]]:
    """For each part of the concatenation that requires a literal, the literals it allows."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append({"".join(run)})
            run = []
        found = _item(op, av)
        if found:
            options.append(found)
    if run:
        options.append({"".join(run)})
    return [o for o in options if o and "" not in o]


def _sequence(items: list) -> set[str] | None:
    """Every match of the concatenation holds one of these: the best among its parts."""
    options = _options(items)
    if not options:
        return None
    return max(options, key=_strength)


def _strength(options: set[str]) -> tuple[int, int]:
    """Longer shortest needle first, then fewer needles."""
    return min(map(len, options)), -len(options)


def _item(op, av) -> set[str] | None:
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        if add_flags & (re.IGNORECASE | re.LOCALE):
            return None
        return _sequence(list(body))
    if op is c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _sequence(list(alternative))
            if not found:
                return None
            union |= found
        return union if len(union) <= MAX_NEEDLES else None
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, body = av
        items = list(body)
        if low >= 1 and items and all(item_op is c.LITERAL for item_op, _ in items):
            # ``\.{3,}``: every match holds the literal ``low`` times in a row (``...``), not just once.
            unit = "".join(chr(value) for _, value in items)
            return {unit * max(1, min(low, MAX_REPEATED // len(unit)))}
        return _sequence(items) if low >= 1 else None
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is c.ASSERT:
        direction, body = av
        # A lookahead's text lies in the searched string too (lookbehind: before the match, still in it).
        return _sequence(list(body))
    if op is c.IN:
        chars = set()
        for kind, value in av:
            if kind is not c.LITERAL:
                return None
            chars.add(chr(value))
        return chars if 0 < len(chars) <= MAX_CLASS else None
    return None  # AT, ANY, CATEGORY, NOT_LITERAL, GROUPREF, ASSERT_NOT …: no literal required


def holds_needle(text: str, found: tuple[str, ...] | None) -> bool:
    """Whether ``text`` could match (True when there is no pre-screen)."""
    if found is None:
        return True
    for needle in found:
        if needle in text:
            return True
    return False


def needle_screen(patterns) -> re.Pattern[str] | None:
    """One pattern that finds a needle in every text one of ``patterns`` can match; None when one has none.

    A case-blind pattern's needles are those of its case-sensitive form, looked for case-blind
    (``(?i:…)``): each of its matches holds one of them under the same case rule. A text the
    screen finds nothing in is matched by none of the patterns (``tests/test_speed_screens.py``).

    >>> needle_screen([re.compile("版权所有"), re.compile("(?:Copyright|©)", re.I)]).pattern
    '版权所有|(?i:(?:Copyright|©))'
    >>> needle_screen([re.compile(r"\\d+")]) is None
    True
    """
    exact: set[str] = set()
    blind: set[str] = set()
    for pattern in patterns:
        case_blind = bool(pattern.flags & re.IGNORECASE)
        found = needles(re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE) if case_blind else pattern)
        if found is None:
            return None
        (blind if case_blind else exact).update(found)
    parts = [trie_alternation(exact)] if exact else []
    if blind:
        parts.append(f"(?i:{trie_alternation(blind)})")
    return re.compile("|".join(parts))


def trie_alternation(literals: list[str] | tuple[str, ...] | set[str]) -> str:
    """A pattern matching exactly the strings ``literals``, factored by their common prefixes.

    ``a|ab|b`` becomes ``(?:ab?|b)``: the same strings, so a search finds the same first
    place where one of them starts, but Python's ``re`` tries one branch per character
    of the text instead of each literal in turn (hundreds, for a stage's needles).

    >>> trie_alternation(["上一篇", "上一页", "下一篇", "本文"])
    '(?:上一(?:篇|页)|下一篇|本文)'
    >>> re.fullmatch(trie_alternation(["a", "ab", ""]), "") is not None
    True
    """
    trie: dict = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


def required_classes_by_alternative(pattern: re.Pattern[str]) -> list[list[set[int]]]:
    """For each top-level alternative of ``pattern``, the classes of characters (code points) a match of it
    must hold one character of, each; an empty list where none can be proved (a category, a negated class).

    >>> [[sorted(chars) for chars in required] for required in required_classes_by_alternative(re.compile("a[bc]|d+"))]
    [[[97], [98, 99]], [[100]]]
    """
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    return [list(_required_classes(alternative)) for alternative in _alternatives(parsed)]


def _alternatives(parsed) -> list[list]:
    """The top-level alternatives of a parsed pattern, each a list of its items."""
    items = list(parsed.data) if hasattr(parsed, "data") else list(parsed)
    if len(items) == 1 and items[0][0] is c.BRANCH:
        return [list(branch.data) for branch in items[0][1][1]]
    if len(items) == 1 and items[0][0] is c.SUBPATTERN:
        return _alternatives(items[0][1][3])
    return [items]


def _class_chars(item) -> set[int] | None:
    """The characters one item matches, if it is a literal or a plain class (no category, not negated)."""
    op, arg = item
    if op is c.LITERAL:
        return {arg}
    if op is not c.IN:
        return None
    chars: set[int] = set()
    for member, value in arg:
        if member is c.LITERAL:
            chars.add(value)
        elif member is c.RANGE:
            chars.update(range(value[0], value[1] + 1))
        else:
            return None
    return chars


def _required_classes(items: list):
    """The classes of characters a match of the sequence ``items`` must hold one character of, each."""
    for item in items:
        chars = _class_chars(item)
        if chars is not None:
            yield chars
        elif item[0] in (c.MAX_REPEAT, c.MIN_REPEAT) and item[1][0] >= 1:
            yield from _required_classes(list(item[1][2].data))
        elif item[0] is c.SUBPATTERN:
            inner = _alternatives(item[1][3])
            if len(inner) == 1:
                yield from _required_classes(inner[0])


# Every character of a needle ever scanned for gets a number here (0: in no needle), so that a text's
# characters become numbers with one numpy gather; each :class:`NeedleScan` numbers its own further.
_CHAR_IDS = np.zeros(0x110000, dtype=np.uint16)
_CHARS_NUMBERED = [0]


def _add_found(found: dict[int, set[str]], keys, needles: tuple[str, ...]) -> None:
    """Add to ``found`` the needles that ``keys`` (line x len(needles) + needle index) name."""
    for line, index in zip(*(part.tolist() for part in divmod(keys, len(needles))), strict=True):
        held = found.get(line)
        if held is None:
            found[line] = {needles[index]}
        else:
            held.add(needles[index])


def _char_id(char: str) -> int:
    code = ord(char)
    if not _CHAR_IDS[code]:
        _CHARS_NUMBERED[0] += 1
        _CHAR_IDS[code] = _CHARS_NUMBERED[0]
    return int(_CHAR_IDS[code])


class NeedleScan:
    """Every needle each line of a text holds, found in one pass of numpy over its characters.

    An alternation of a stage's few hundred needles costs Python's regex engine a try of every
    branch at each character that starts one (a quarter of a page's characters: 年, 第, 中 …),
    ~10 MB/s. Here each character is numbered (0 when it is in no needle), each pair of neighbours
    looked up in a table of the pairs that start a needle, and each lone character in a table of
    the one-character needles; only where a pair and the character after it start a longer needle
    (a table by pair and third character) is the text compared with it. Exact: a line holds a needle iff the scan reports it (``tests/test_speed_screens.py``
    compares it with ``needle in line`` for each needle and line).
    """

    def __init__(self, needles) -> None:
        self.needles = tuple(sorted(set(needles)))
        if not self.needles or any(not n or "\n" in n for n in self.needles):
            raise ValueError("needles must be non-empty strings within a line")
        chars = sorted({char for needle in self.needles for char in needle})
        self.local = np.zeros(0x10000, dtype=np.int32)  # the global number of a character -> this scan's
        for index, char in enumerate(chars, 1):
            self.local[_char_id(char)] = index
        self.width = len(chars) + 1
        self.single = np.full(self.width, -1, dtype=np.int32)  # local number -> needle index (one character)
        self.pairs = np.full(self.width * self.width, -1, dtype=np.int32)  # pair key -> bucket
        self.two: list[int] = []  # bucket -> the two-character needle (index) of that pair, or -1
        self.longer: list[tuple[tuple[str, int], ...]] = []  # bucket -> the longer needles starting so
        longer: dict[int, list[tuple[str, int]]] = {}
        for index, needle in enumerate(self.needles):
            ids = [int(self.local[_CHAR_IDS[ord(c)]]) for c in needle]
            if len(ids) == 1:
                self.single[ids[0]] = index
                continue
            key = ids[0] * self.width + ids[1]
            if self.pairs[key] < 0:
                self.pairs[key] = len(self.two)
                self.two.append(-1)
                self.longer.append(())
            bucket = int(self.pairs[key])
            if len(needle) == 2:
                self.two[bucket] = index
            else:
                longer.setdefault(bucket, []).append((needle, index))
        for bucket, found in longer.items():
            self.longer[bucket] = tuple(found)
        self.has_longer = np.array([bool(b) for b in self.longer] or [False], dtype=bool)
        # bucket x local number -> whether a longer needle of the bucket has that character third: where the
        # text's third character is none of them, no longer needle starts there (compared in numpy, not Python).
        self.third = np.zeros((max(len(self.longer), 1), self.width), dtype=bool)
        for bucket, found in longer.items():
            for needle, _index in found:
                self.third[bucket, self.local[_CHAR_IDS[ord(needle[2])]]] = True
        self.two_array = np.array(self.two or [-1], dtype=np.int64)
        self.starting: dict[str, tuple[str, ...]] = {}  # first character -> the needles starting with it
        for needle in self.needles:
            self.starting[needle[0]] = (*self.starting.get(needle[0], ()), needle)

    def in_line(self, line: str) -> set[str]:
        """The needles one line holds: for a line alone, where numpy's fixed cost is more than the work."""
        starting = self.starting
        return {needle for char in set(line).intersection(starting) for needle in starting[char] if needle in line}

    def by_line(self, text: str) -> dict[int, set[str]]:
        """Line index -> the needles the line holds (lines holding none are left out)."""
        codes = code_points(text)
        ids = self.local[_CHAR_IDS[codes]]
        newlines = np.flatnonzero(codes == 10)
        found: dict[int, set[str]] = {}
        needles, count = self.needles, len(self.needles)
        at = np.flatnonzero(self.single[ids] >= 0)
        if at.size:
            _add_found(found, np.unique(np.searchsorted(newlines, at) * count + self.single[ids[at]]), needles)
        if ids.size < 2:
            return found
        buckets = self.pairs[ids[:-1] * self.width + ids[1:]]
        at = np.flatnonzero(buckets >= 0)
        if not at.size:
            return found
        held_buckets = buckets[at]
        lines = np.searchsorted(newlines, at)
        exact = self.two_array[held_buckets]
        keep = exact >= 0
        if keep.any():
            _add_found(found, np.unique(lines[keep] * count + exact[keep]), needles)
        further = np.flatnonzero(self.has_longer[held_buckets])
        if further.size:
            thirds = np.append(ids, 0)[at[further] + 2]  # 0 past the end: no needle's character
            further = further[self.third[held_buckets[further], thirds]]
        for place, line, bucket in zip(at[further].tolist(), lines[further].tolist(), held_buckets[further].tolist(),
                                       strict=True):
            for needle, _index in self.longer[bucket]:
                if text.startswith(needle, place):
                    found.setdefault(line, set()).add(needle)
        return found



# Items whose match depends on characters outside it (anchors, look-arounds, backreferences), but the
# anchors at a start (``^``, ``\A``): in a slice they match at the slice's start as well, never less.
_START_ANCHORS = frozenset({c.AT_BEGINNING, c.AT_BEGINNING_STRING})


def longest_local_match(pattern: re.Pattern[str]) -> int | None:
    """The length of the longest string ``pattern`` can match, if it is bounded and no item of the pattern
    looks outside its own match (look-arounds, backreferences, anchors other than a start); else None.

    Then every match in a text is found as well in any slice of the text that holds it, so that a
    search can be confined to the neighbourhood of the characters every match must hold (a slice
    finds more only where a start anchor meets the slice's start).

    >>> longest_local_match(re.compile("a[bc]|^d{1,3}")), longest_local_match(re.compile("a$"))
    (3, None)
    """
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    if _looks_outside(parsed):
        return None
    longest = parsed.getwidth()[1]
    return None if longest >= c.MAXREPEAT else int(longest)


def _looks_outside(parsed) -> bool:
    """Whether the parsed pattern holds an item that reads characters outside its match."""
    for op, arg in parsed.data:
        if op is c.AT and arg not in _START_ANCHORS or op in (c.ASSERT, c.ASSERT_NOT, c.GROUPREF,
                                                                c.GROUPREF_EXISTS):
            return True
        if op is c.BRANCH and any(_looks_outside(branch) for branch in arg[1]):
            return True
        if op is c.SUBPATTERN and _looks_outside(arg[3]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and _looks_outside(arg[2]):
            return True
        if op is c.ATOMIC_GROUP and _looks_outside(arg):
            return True
    return False
