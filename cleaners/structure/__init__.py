"""Page structure: what of a page is article, what is furniture, and what it says about itself.

HTML extraction, collections split into articles, outlines, notices, chrome,
broken lines rejoined, duplicate parts; the metadata they find (title, site,
time, author, truncation) goes into the page's :class:`~cleaners.model.Metadata`.
Site knowledge is data (``cleaners/data/``), matched through ``cleaners.matching``.
"""
