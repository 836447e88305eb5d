"""Which site a page comes from: its profiles are found once and passed on in the metadata.

The first stage that needs the site's rules (``strip_notices``) detects the
page's profiles from its text (:func:`cleaners.matching.rules.profiles_for`)
and records their names in ``Metadata.profiles``, with the site's name in
``Metadata.site`` when nothing named it yet. Later stages (``strip_chrome``)
read the same profiles from there instead of detecting again, even when the
line that identified the site (a notice naming it) is gone; a profile that
names the site a later capture found (a ``site`` field) joins them.
"""

from __future__ import annotations

from dataclasses import replace

from cleaners.matching.rules import Profile, profiles_for, site_profiles
from cleaners.model import Page


def page_profiles(page: Page) -> tuple[Page, tuple[Profile, ...]]:
    """The page's site profiles, detected on first use and remembered in its metadata."""
    meta = page.meta
    if meta.profiles is None:
        profiles = profiles_for(page.text, meta.site)
        site = next((p.site for p in profiles if p.site), None)
        meta = replace(meta, profiles=tuple(p.name for p in profiles), site=meta.site or site)
        return replace(page, meta=meta), profiles
    return page, tuple(p for p in site_profiles()
                       if p.name in meta.profiles or (meta.site and p.site == meta.site))
