"""Publication times as Chinese pages write them, read as Asia/Shanghai time.

Handles ``2023-11-12 03:53:59``, ``2024/5/1 10:20``, ``2024.05.01``,
``2024年5月1日 10:20``, ``2024年5月1日上午10时20分``, ``2024年05月01日10点``
ISO 8601 stamps of meta tags (``2024-05-01T10:20:00+08:00``) and dates in
Chinese numerals (``二〇二四年五月一日``). A time without a zone is China's
time; one with a zone is converted to it.
"""

from __future__ import annotations

import re
from datetime import datetime

from cleaners.chinese import SHANGHAI

DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
DIGITS["零"] = 0

DATE_TIME = re.compile(
    r"(?P<year>\d{4}|[〇零一二三四五六七八九]{4})\s*[-/.年]\s*(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})\s*[-/.月]"
    r"\s*(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*日)?"
    r"(?:(?:\s*|T)(?P<half>上午|下午|晚上|凌晨)?\s*(?P<hour>\d{1,2})\s*[:：时点]\s*(?P<minute>\d{1,2})"
    r"(?:\s*[:：分]\s*(?P<second>\d{1,2})?)?(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?"
)


def chinese_number(text: str) -> int:
    """``2024``, ``二〇二四``, ``十二``, ``二十一``, ``三十`` as integers.

    >>> chinese_number("二〇二四"), chinese_number("十二"), chinese_number("二十一"), chinese_number("7")
    (2024, 12, 21, 7)
    >>> chinese_number("２０２４")  # full-width digits, as old pages write them
    2024
    """
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + DIGITS[char]
    return value


def parse_published(text: str) -> datetime | None:
    """The first date (and time) in ``text`` as an aware Asia/Shanghai datetime, or None.

    >>> parse_published("時間:2023-11-12 03:53:59")
    datetime.datetime(2023, 11, 12, 3, 53, 59, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
    >>> parse_published("发布时间：2024年5月1日 下午3:20").isoformat()
    '2024-05-01T15:20:00+08:00'
    >>> parse_published("二〇二四年五月一日").isoformat()
    '2024-05-01T00:00:00+08:00'
    >>> parse_published("2024-05-01T02:20:00Z").isoformat()
    '2024-05-01T10:20:00+08:00'
    >>> parse_published("2024年13月1日") is None
    True
    >>> parse_published("发布于 ２０２３年１１月５日　１４：０２").isoformat()
    '2023-11-05T14:02:00+08:00'
    """
    match = DATE_TIME.search(text)
    if match is None:
        return None
    parts = match.groupdict()
    try:
        hour = int(parts["hour"] or 0)
        if parts["half"] in ("下午", "晚上") and hour < 12:
            hour += 12
        moment = datetime(
            chinese_number(parts["year"]),
            chinese_number(parts["month"]),
            chinese_number(parts["day"]),
            hour,
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
    except ValueError:
        return None
    if parts["zone"]:
        zone = datetime.strptime(parts["zone"].replace("Z", "+0000").replace(":", ""), "%z").tzinfo
        return moment.replace(tzinfo=zone).astimezone(SHANGHAI)
    return moment.replace(tzinfo=SHANGHAI)
