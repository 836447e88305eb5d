"""Chrome and notice rules: loaded from data files, applied to a text, explained.

Two kinds of data file hold them, both TOML with the same schema:

* ``data/chrome.toml``: the generic rules for Chinese pages of any site, and
  the shared pattern pieces (``[vars]``: ``%DATE%``, ``%NAME%`` …);
* ``data/sites/*.toml``: one profile per site. A profile names the site, says
  how to recognise its pages (``detect``) and adds the site's own rules.
  Adding a site is adding a file.

A rule is a table under ``[[chrome]]`` or ``[[notice]]``::

    [[notice]]
    name = "omission"          # shown in reports
    scope = "fragment"         # line | fragment | block | text (below)
    where = "anywhere"         # anywhere | head | tail | edges: where a line must sit
    pattern = '省略(?P<omitted>\\d+)字'
    captures = ['...']         # optional patterns run on the removed text
    gap = true                 # content is missing here: keep what follows apart
    truncates = true           # the page says the article is incomplete
    paragraph = true           # the match is the site talking: its whole paragraph goes
    max_len = 120              # longest line a line/block rule looks at
    item = '...'               # block rules: what each following line must be

Patterns are Python regexes written in Simplified Chinese with ASCII
punctuation; they are matched against the :func:`~cleaners.matching.fold.fold`\\ ed
shadow, and what they match is cut from the original text. Scopes:

* ``line``: the whole (stripped) line matches; the line is removed;
* ``fragment``: matches inside a line are removed; the rest of the line stays;
* ``block``: a heading line matches ``pattern``; it and the lines after it
  that match ``item`` are removed (a related-documents list);
* ``text``: matches anywhere in the text, across lines (a notice that spans two
  lines).

Named groups (and groups of ``captures``) become metadata: ``title``,
``site``, ``url``, ``published_at``, ``author``, ``editor``, ``declared``,
``shown``, ``remaining``, ``omitted``. A removed line leaves an empty line behind, so text
before and after it is never glued together by accident. Where a ``gap`` notice
stood, every word on both sides is kept and a gap mark line
(:data:`cleaners.structure.gaps.GAP_LINE`) takes its place: the two sides stay
separate lines, and the offset reaches the record's ``gaps``.

``head`` and ``tail`` are the lines before the first and after the last line of
running prose (:func:`cleaners.structure.shapes.head_and_tail`): rules that would be risky
in running text (a bare ``时间:`` line, a navigation line) are limited to them.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources

from cleaners.matching.fold import fold
from cleaners.matching.needles import NeedleScan, holds_needle, needle_sets, needles, trie_alternation
from cleaners.structure.gaps import GAP_LINE
from cleaners.structure.shapes import head_and_tail

FIELDS = ("title", "site", "url", "published_at", "author", "editor", "declared", "shown", "remaining", "omitted")
SCOPES = ("line", "fragment", "block", "text")
WHERE = ("anywhere", "head", "tail", "edges")
KINDS = ("chrome", "notice")
VAR = re.compile(r"%([A-Z_]+)%")
DEFAULT_MAX_LEN = 200
FIND_MAX = 12  # up to this many needles, each is looked for with str.find; more, with one regex


@dataclass(frozen=True)
class Rule:
    name: str
    source: str
    kind: str
    scope: str
    pattern: re.Pattern[str]
    where: str = "anywhere"
    captures: tuple[re.Pattern[str], ...] = ()
    item: re.Pattern[str] | None = None
    gap: bool = False
    truncates: bool = False
    max_len: int = DEFAULT_MAX_LEN
    # The sentence it matches is the site talking about the page: the whole paragraph goes (strip_chrome).
    paragraph: bool = False
    # Searched once over the whole folded text: where it finds nothing, no line can
    # match the rule, and the line-by-line pass is skipped (None: always run it).
    screen: re.Pattern[str] | None = None
    # Literals one of which every line (or text) the rule matches contains (``cleaners.matching.needles``):
    # a line holding none of them is not looked at. None: no such literal is known.
    needles: tuple[str, ...] | None = None
    # Further sets of literals a match needs one of each (``needle_sets``): a line holding
    # a needle but missing one of these sets cannot match either.
    also: tuple[tuple[str, ...], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.source}:{self.name}"


@dataclass(frozen=True)
class Profile:
    """A site: its name as the page shows it, how to recognise it, its rules."""

    name: str
    site: str | None
    detect: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...]
    # The needles of each ``detect`` pattern (``cleaners.matching.needles``): a page holding none
    # of them is not searched with the pattern (None: always search).
    detect_needles: tuple[tuple[str, ...] | None, ...] = ()

    def matches(self, folded_text: str) -> bool:
        screens = self.detect_needles or (None,) * len(self.detect)
        return any(holds_needle(folded_text, n) and p.search(folded_text) for p, n in zip(self.detect, screens, strict=False))


@dataclass(frozen=True)
class Removal:
    """One thing a rule removed: the rule, its kind, the original text, how many items it counts for."""

    rule: str
    kind: str  # chrome | notice
    text: str
    items: int = 1


@dataclass
class Outcome:
    """The text after some rules, what they removed and what they captured."""

    text: str
    removals: list[Removal] = field(default_factory=list)
    captures: list[tuple[str, str]] = field(default_factory=list)
    truncated: bool = False


# ---------------------------------------------------------------- loading


def _compile(pattern: str, variables: dict[str, str], where: str) -> re.Pattern[str]:
    expanded = VAR.sub(lambda m: variables[m.group(1)], pattern)
    try:
        return re.compile(expanded, re.M)
    except re.error as error:
        raise ValueError(f"{where}: bad pattern {pattern!r}: {error}") from None


def _screen(pattern: str, variables: dict[str, str], where: str, scope: str) -> re.Pattern[str] | None:
    """A pattern that finds, in the whole folded text, every place a line rule could match.

    Rules are compiled multi-line and their lookaheads (``(?=.*…)``) stop at a
    newline, so a match inside one line (a fragment) or of a whole stripped line
    (line, block heading) is also a match of the screen at the same place in the
    whole text. The screen may find more; it never finds less.
    """
    if scope == "fragment":
        return _compile(pattern, variables, where)
    if scope in ("line", "block"):
        return _compile(rf"^[^\S\n]*(?:{pattern})[^\S\n]*$", variables, where)
    return None


def _rules(table: dict, source: str, variables: dict[str, str]) -> tuple[Rule, ...]:
    rules = []
    for kind in KINDS:
        for entry in table.get(kind, []):
            where = f"{source}: [[{kind}]] {entry.get('name', '?')}"
            scope = entry.get("scope", "line")
            place = entry.get("where", "anywhere")
            if scope not in SCOPES or place not in WHERE:
                raise ValueError(f"{where}: scope must be one of {SCOPES}, where one of {WHERE}")
            rule = Rule(
                name=entry["name"],
                source=source,
                kind=kind,
                scope=scope,
                pattern=_compile(entry["pattern"], variables, where),
                where=place,
                captures=tuple(_compile(p, variables, where) for p in entry.get("captures", [])),
                item=_compile(entry["item"], variables, where) if "item" in entry else None,
                gap=bool(entry.get("gap", False)),
                truncates=bool(entry.get("truncates", False)),
                max_len=int(entry.get("max_len", DEFAULT_MAX_LEN)),
                paragraph=bool(entry.get("paragraph", False)),
                screen=_screen(entry["pattern"], variables, where, scope),
            )
            found = needles(rule.pattern)
            rule = replace(rule, needles=found,
                           also=tuple(s for s in needle_sets(rule.pattern) if s != found) if found else ())
            for pattern in (rule.pattern, *rule.captures):
                unknown = set(pattern.groupindex) - set(FIELDS)
                if unknown:
                    raise ValueError(f"{where}: unknown capture group(s) {sorted(unknown)}; use {FIELDS}")
            rules.append(rule)
    return tuple(rules)


def _read(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def generic_table() -> dict:
    return _read(resources.files("cleaners").joinpath("data/chrome.toml"))


def variables() -> dict[str, str]:
    raw = generic_table().get("vars", {})
    # Variables may use variables defined before them.
    resolved: dict[str, str] = {}
    for name, value in raw.items():
        resolved[name] = VAR.sub(lambda m: resolved[m.group(1)], value)
    return resolved


@lru_cache(maxsize=1)
def generic_rules() -> tuple[Rule, ...]:
    return _rules(generic_table(), "generic", variables())


def load_profile(name: str, text: str) -> Profile:
    """One profile from the text of its TOML file; a bad file raises ValueError naming the file."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{name}: not valid TOML: {error}") from None
    detect = tuple(_compile(p, variables(), f"{name}: detect") for p in table.get("detect", []))
    if not detect:
        raise ValueError(f"{name}: a profile needs at least one 'detect' pattern")
    return Profile(name, table.get("site"), detect, _rules(table, name, variables()), tuple(map(needles, detect)))


def load_profiles(folder) -> tuple[Profile, ...]:
    """Every ``*.toml`` profile of ``folder`` (a path or an importlib resource), in file-name order."""
    paths = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return tuple(load_profile(p.name.removesuffix(".toml"), p.read_text(encoding="utf-8")) for p in paths)


@lru_cache(maxsize=1)
def site_profiles() -> tuple[Profile, ...]:
    """Every profile under ``data/sites/``: adding a site is adding a file there."""
    return load_profiles(resources.files("cleaners").joinpath("data/sites"))


def profiles_for(text: str, site: str | None = None) -> tuple[Profile, ...]:
    """The site profiles whose ``detect`` patterns match ``text``, or that name ``site``.

    The notice stage, which runs first, records the site of the profile it
    detected; later stages find the profile again by that name even when the
    line that identified the site (a notice naming it) is gone.
    """
    folded = fold(text)
    return tuple(p for p in site_profiles() if p.matches(folded) or (site and p.site == site))


# ---------------------------------------------------------------- applying


def rules_of_kind(profiles: tuple[Profile, ...], kind: str) -> tuple[Rule, ...]:
    """The rules of ``kind`` (chrome or notice): the sites' own first, then the generic ones."""
    site_rules = tuple(r for p in profiles for r in p.rules if r.kind == kind)
    return site_rules + tuple(r for r in generic_rules() if r.kind == kind)


def apply_rules(text: str, rules: tuple[Rule, ...], folded: str | None = None) -> Outcome:
    """Apply ``rules`` in order; each sees the text the ones before it left.

    ``folded`` is ``fold(text)`` when the caller has it already. The shadow is
    computed once and again only after a rule changed the text; a rule whose
    needles are all absent from it is skipped, and a line rule looks only at
    the lines that hold one of its needles.
    """
    if not rules:
        return Outcome(text)
    outcome = Outcome(text)
    screen = _screen_of(rules)
    shadow = _Shadow(text, folded if folded is not None else fold(text), screen)
    changed: list[int] = []  # the lines the last line rule changed
    grown: dict[int, int] = {}  # those of them that became several lines: how many
    for k, rule in enumerate(rules):
        if shadow.text is not outcome.text:
            shadow = shadow.with_lines(outcome.text, changed, grown) if changed else _Shadow(
                outcome.text, fold(outcome.text), screen)
        changed, grown = [], {}
        if screen is not None and screen.screenable[k]:
            # The page's one scan found no needle of this rule on any line: nothing to look at.
            if not shadow.rule_lines(k):
                continue
        elif rule.scope == "text":
            if holds_needle(shadow.folded, rule.needles) and _holds_also(rule, shadow.folded):
                changed = _apply_text(rule, outcome, shadow)
            continue
        elif rule.needles is None and rule.screen is not None and not rule.screen.search(shadow.folded):
            continue
        changed = _apply_lines(rule, outcome, shadow, k, grown)
    return outcome


class _StageScreen:
    """The needles of a stage's screenable rules (:func:`_screenable`) and the rules each belongs to.

    One scan of a page (:class:`~cleaners.matching.needles.NeedleScan`) gives, line by line, every
    needle a line holds, hence the rules that can match it: a rule no line holds a needle of costs
    nothing.
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.screenable = tuple(_screenable(rule) for rule in rules)
        owners: dict[str, list[int]] = {}
        for k, rule in enumerate(rules):
            if self.screenable[k]:
                for needle in rule.needles or ():
                    owners.setdefault(needle, []).append(k)
        self.owners = {needle: tuple(ks) for needle, ks in owners.items()}
        self.scan = NeedleScan(owners)

    def needles_by_line(self, folded: str) -> dict[int, set[str]]:
        """For each line of ``folded`` that holds a needle: the needles it holds."""
        return self.scan.by_line(folded)

    def lines_by_rule(self, needles_by_line: dict[int, set[str]]) -> dict[int, set[int]]:
        """Rule index -> the lines holding one of its needles."""
        found: dict[int, set[int]] = {}
        owners = self.owners
        for line, held in needles_by_line.items():
            for needle in held:
                for k in owners[needle]:
                    lines = found.get(k)
                    if lines is None:
                        found[k] = {line}
                    else:
                        lines.add(line)
        return found


_NO_LINES: set[int] = set()


class _Shadow:
    """A text, its shadow, and what the line rules need of them, each computed once."""

    def __init__(self, text: str, folded: str, screen: _StageScreen | None = None) -> None:
        self.text = text
        self.folded = folded
        self.screen = screen
        self._needles: dict[int, set[str]] | None = None
        self._by_rule: dict[int, set[int]] | None = None
        self._lines: list[str] | None = None
        self._text_lines: list[str] | None = None
        self._starts: list[int] | None = None
        self._head_tail: tuple[int, int] | None = None
        self._lengths: list[int] | None = None
        self._views: dict[int, tuple[str, list[int], list[int]]] = {}

    def with_lines(self, text: str, changed: list[int], grown: dict[int, int] | None = None) -> _Shadow:
        """The shadow of ``text``: this shadow's text with the lines ``changed``, each of them one line or,
        in ``grown``, as many lines as it says (a gap's mark between two halves of a line).

        Only the changed lines are folded and screened again; the other lines' shadows,
        lengths and needles are this shadow's, moved down past the lines added above them. Equal to
        ``_Shadow(text, fold(text), screen)`` (fold maps each character on its own and never makes or
        takes a newline), which it is when the lines do not add up.
        """
        lines = text.split("\n")
        grown = grown or {}
        if len(lines) != len(self.folded_lines) + sum(count - 1 for count in grown.values()):
            return _Shadow(text, fold(text), self.screen)
        old = self.folded_lines
        if grown:
            # Where each old line starts among the new ones; the changed lines in the new numbering.
            place, at = [], 0
            for i in range(len(old)):
                place.append(at)
                at += grown.get(i, 1)
            renumbered = [place[i] + n for i in sorted(set(changed)) for n in range(grown.get(i, 1))]
        else:
            place, renumbered = list(range(len(old))), list(changed)
        fresh = set(renumbered)
        folded_lines = [""] * len(lines)
        for i, line in enumerate(old):
            folded_lines[place[i]] = line
        for j in renumbered:
            folded_lines[j] = fold(lines[j])
        new = _Shadow(text, "\n".join(folded_lines), self.screen)
        new._lines = folded_lines
        new._text_lines = lines
        if self._lengths is not None:
            lengths = [0] * len(lines)
            for i, length in enumerate(self._lengths):
                lengths[place[i]] = length
            for j in renumbered:
                lengths[j] = len(folded_lines[j].strip())
            new._lengths = lengths
        if self._needles is not None and self.screen is not None:
            needles = {place[i]: held for i, held in self._needles.items() if place[i] not in fresh}
            for j in fresh:
                held = self.screen.scan.in_line(folded_lines[j])
                if held:
                    needles[j] = held
            new._needles = needles
        return new

    def text_lines(self) -> list[str]:
        """The text's lines (not to be changed: a rule copies them before it changes one)."""
        if self._text_lines is None:
            self._text_lines = self.text.split("\n")
        return self._text_lines

    def needles_by_line(self) -> dict[int, set[str]]:
        """The lines holding a needle of a screened rule, each with the longest needles found in it:
        one scan of the shadow (:meth:`_StageScreen.needles_by_line`)."""
        if self._needles is None:
            assert self.screen is not None
            self._needles = self.screen.needles_by_line(self.folded)
        return self._needles

    def screened(self) -> list[int]:
        """The lines holding a needle of any screened rule, in order."""
        return sorted(self.needles_by_line())

    def rule_lines(self, k: int) -> set[int]:
        """The lines holding a needle of the stage's ``k``-th rule (a screenable one)."""
        if self._by_rule is None:
            assert self.screen is not None
            self._by_rule = self.screen.lines_by_rule(self.needles_by_line())
        return self._by_rule.get(k, _NO_LINES)

    @property
    def folded_lines(self) -> list[str]:
        # fold() is one character for one character and never makes a newline: the shadow's lines are the lines'.
        if self._lines is None:
            self._lines = self.folded.split("\n")
        return self._lines

    @property
    def line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = _starts_of(self.folded_lines)
        return self._starts

    def stripped_length(self, index: int) -> int:
        return self.stripped_lengths()[index]

    def stripped_lengths(self) -> list[int]:
        if self._lengths is None:
            self._lengths = [len(line.strip()) for line in self.folded_lines]
        return self._lengths

    def head_and_tail(self) -> tuple[int, int]:
        if self._head_tail is None:
            self._head_tail = head_and_tail(self.text.split("\n"))
        return self._head_tail

    def view(self, max_len: int | None) -> tuple[str, list[int], list[int]]:
        """The shadow's lines a rule can match, joined; where each starts in that text; their indices.

        A line or block rule only matches a stripped line of at most ``max_len``
        characters: the longer lines (most of the prose) are left out of its
        view. ``None``: every line (fragment rules).
        """
        if max_len is None:
            return self.folded, self.line_starts, list(range(len(self.folded_lines)))
        if max_len not in self._views:
            if self._lengths is None:
                self._lengths = [len(line.strip()) for line in self.folded_lines]
            lines = self.folded_lines
            kept = [i for i, n in enumerate(self._lengths) if n <= max_len]
            self._views[max_len] = ("\n".join(lines[i] for i in kept), _starts_of([lines[i] for i in kept]), kept)
        return self._views[max_len]


def _starts_of(lines: list[str]) -> list[int]:
    """Where each of ``lines`` starts in ``"\\n".join(lines)``."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _capture(rule: Rule, match: re.Match[str], original: str, outcome: Outcome) -> None:
    """Named groups of ``match`` (a match in the shadow of ``original``) and of the rule's captures."""
    found = [(name, match.span(name)) for name in match.groupdict() if match.group(name) is not None]
    span_text = match.string[match.start():match.end()]
    for extra in rule.captures:
        sub = extra.search(span_text)
        if sub:
            found += [(name, (match.start() + sub.start(name), match.start() + sub.end(name)))
                      for name in sub.groupdict() if sub.group(name) is not None]
    for name, (start, end) in found:
        value = original[start:end].strip()
        if value:
            outcome.captures.append((name, value))
    if rule.truncates:
        outcome.truncated = True


def _removed_spans(rule: Rule, text: str, folded: str, outcome: Outcome):
    """The non-empty matches of ``rule`` in ``folded`` (the shadow of ``text``), captures and removals recorded."""
    for match in rule.pattern.finditer(folded):
        start, end = match.span()
        if end == start:
            continue
        _capture(rule, match, text, outcome)
        outcome.removals.append(Removal(rule.label, rule.kind, text[start:end].strip()))
        yield start, end


def _apply_text(rule: Rule, outcome: Outcome, shadow: _Shadow) -> list[int]:
    """Apply a text rule; the lines it changed when the text keeps its lines (a removed span leaves its
    newlines behind), else nothing (a gap's mark adds lines: the shadow is made afresh)."""
    text = outcome.text
    out, last = "", 0
    spans = []
    for start, end in _removed_spans(rule, text, shadow.folded, outcome):
        removed = text[start:end]
        before = out + text[last:start]
        out = before.rstrip(" \t") + GAP_LINE if rule.gap else before + "\n" * removed.count("\n")
        last = end
        spans.append((start, end))
    if not last:
        return []
    outcome.text = out + text[last:]
    if rule.gap:
        return []
    starts = shadow.line_starts
    return sorted({i for start, end in spans
                   for i in range(bisect_right(starts, start) - 1, bisect_right(starts, end))})


def _in_region(rule: Rule, index: int, head: int, tail: int) -> bool:
    if rule.where == "anywhere":
        return True
    in_head, in_tail = index < head, index >= tail
    return {"head": in_head, "tail": in_tail, "edges": in_head or in_tail}[rule.where]


def _candidate_lines(rule: Rule, shadow: _Shadow, k: int = -1) -> list[int]:
    """The lines that could match ``rule``: those holding one of its needles (all when it has none).

    A line is only ever changed by its own turn, so what each line holds when its
    turn comes is what it held before the pass: the candidates can be chosen up front.
    """
    if rule.needles is None:
        return list(range(len(shadow.folded_lines)))
    max_len = None if rule.scope == "fragment" else rule.max_len
    if shadow.screen is not None and k >= 0 and shadow.screen.screenable[k]:
        # The page's one scan found every line holding a needle of the ``k``-th rule: look only at those
        # (a line or block rule then skips the lines longer than its ``max_len``).
        found = shadow.rule_lines(k)
        if max_len is not None:
            lengths = shadow.stripped_lengths()
            found = {i for i in found if lengths[i] <= max_len}
        return _with_also(rule, found, shadow)
    return _with_also(rule, _lines_holding(rule.needles, *shadow.view(max_len)), shadow)


def _lines_holding(needles: tuple[str, ...], folded: str, starts: list[int], index: list[int]) -> set[int]:
    """The lines of a view (joined ``folded``, where each starts, their indices) holding one of ``needles``."""
    found: set[int] = set()
    if not index:
        return found
    if len(needles) <= FIND_MAX:
        # str.find runs at memory speed; a regex alternation costs ~10 ns a character.
        for needle in needles:
            at = folded.find(needle)
            while at != -1:
                line = bisect_right(starts, at) - 1
                found.add(index[line])
                if line + 1 >= len(starts):
                    break
                at = folded.find(needle, starts[line + 1])
        return found
    search = _any_needle(needles).search
    hit = search(folded)
    while hit is not None:
        line = bisect_right(starts, hit.start()) - 1
        found.add(index[line])
        if line + 1 >= len(starts):
            break
        hit = search(folded, starts[line + 1])
    return found


def _holds_also(rule: Rule, text: str) -> bool:
    return all(holds_needle(text, needed) for needed in rule.also)


def _with_also(rule: Rule, found: set[int], shadow: _Shadow) -> list[int]:
    """The lines of ``found`` that also hold one literal of each of the rule's further sets, in order."""
    if rule.also:
        lines = shadow.folded_lines
        return sorted(i for i in found if _holds_also(rule, lines[i]))
    return sorted(found)


def _screenable(rule: Rule) -> bool:
    """A line rule whose needles each lie within one line (the screen tells lines, not places)."""
    return rule.scope != "text" and rule.needles is not None and not any("\n" in n for n in rule.needles)


# The screens made, by the identities of the rules (hashing a tuple of rules hashes every field of each, on
# every page); each entry holds its rules, so no other rule can take one of their identities meanwhile.
_SCREENS: dict[tuple[int, ...], tuple[tuple[Rule, ...], _StageScreen | None]] = {}
_SCREENS_MAX = 64


def _screen_of(rules: tuple[Rule, ...]) -> _StageScreen | None:
    """:func:`_stage_screen` of ``rules``, made once for the same rules."""
    key = tuple(map(id, rules))
    known = _SCREENS.get(key)
    if known is None:
        if len(_SCREENS) >= _SCREENS_MAX:
            _SCREENS.clear()
        known = _SCREENS[key] = (rules, _stage_screen(rules))
    return known[1]


def _stage_screen(rules: tuple[Rule, ...]) -> _StageScreen | None:
    """The needles of all screenable rules of a stage: a single scan finds their lines."""
    return _StageScreen(rules) if any(map(_screenable, rules)) else None


@cache
def _any_needle(needles: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that finds the first place any of ``needles`` starts."""
    return re.compile(trie_alternation(needles))


def _apply_lines(rule: Rule, outcome: Outcome, shadow: _Shadow, k: int = -1,
                 grown: dict[int, int] | None = None) -> list[int]:
    """Apply a line, fragment or block rule (the ``k``-th of the stage); the indices of the lines it
    changed. A gap's mark makes one line several: how many goes into ``grown``."""
    if grown is None:
        grown = {}
    candidates = _candidate_lines(rule, shadow, k)
    if not candidates:
        return []
    # The shadow's split of the text, shared by the stage's rules; copied before the first change.
    shared = shadow.text_lines() if shadow.text is outcome.text else outcome.text.split("\n")
    lines = shared
    folded_lines = shadow.folded_lines
    head, tail = shadow.head_and_tail() if rule.where != "anywhere" else (0, 0)
    changed: list[int] = []
    i = 0
    for index in candidates:
        if index < i:  # taken by a block before
            continue
        i = index
        line = lines[i]
        stripped = line.strip()
        if not stripped or not _in_region(rule, i, head, tail):
            continue
        if rule.scope == "fragment":
            new = _apply_fragment(rule, line, folded_lines[i], lines, i, outcome)
            if new != line:
                if lines is shared:
                    lines = list(shared)
                lines[i] = new if new.strip() else ""
                changed.append(i)
            continue
        lead = len(line) - len(line.lstrip())
        folded_line = folded_lines[i][lead:lead + len(stripped)]
        match = rule.pattern.fullmatch(folded_line) if len(folded_line) <= rule.max_len else None
        if match is None:
            continue
        _capture(rule, match, stripped, outcome)
        taken = [i]
        if rule.scope == "block":
            taken += _block_items(rule, lines, i + 1, outcome)
        texts = [lines[j].strip() for j in taken]
        outcome.removals.append(Removal(rule.label, rule.kind, " ⏎ ".join(texts), len(texts)))
        if lines is shared:
            lines = list(shared)
        for j in taken:
            lines[j] = ""
        if rule.gap:
            lines[i] = GAP_LINE
        changed += taken
        i = taken[-1] + 1
    if changed:
        outcome.text = "\n".join(lines)
        grown.update((i, lines[i].count("\n") + 1) for i in changed if "\n" in lines[i])
    return changed


def _block_items(rule: Rule, lines: list[str], start: int, outcome: Outcome) -> list[int]:
    """Indices of the list items that follow a block heading (blank lines may sit between them)."""
    taken = []
    j = start
    while j < len(lines):
        stripped = lines[j].strip()
        if not stripped:
            j += 1
            continue
        folded = fold(stripped)
        match = rule.item.fullmatch(folded) if rule.item is not None and len(folded) <= rule.max_len else None
        if match is None:
            break
        taken.append(j)
        j += 1
    return taken


def _apply_fragment(rule: Rule, line: str, folded_line: str, lines: list[str], index: int,
                    outcome: Outcome) -> str:
    out, last = "", 0
    for start, end in _removed_spans(rule, line, folded_line, outcome):
        before = out + line[last:start]
        # The words on both sides of a gap stay, on separate lines, with the gap's mark between.
        out = before.rstrip(" \t") + GAP_LINE if rule.gap else before
        last = end
    if not last:
        return line
    return (out + line[last:]).rstrip(" \t")
