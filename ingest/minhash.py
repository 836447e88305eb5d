"""MinHash signatures and their LSH banding, the values datasketch 2.0 gives, without importing datasketch.

Importing datasketch imports scipy (its ``MinHashLSH`` integrates to choose
the banding): about 60 MB of resident memory and 0.35 s in each process that
makes a signature. The chunk workers make one per record (``ingest.dedup``),
so they use these functions instead; ``tests/test_minhash.py`` compares them
with datasketch's ``MinHash`` (scheme ``affine32``, the default since 2.0) and
``MinHashLSH`` on real text.

* A value (a shingle's UTF-8 bytes) hashes to the first 4 bytes of its SHA-1,
  little-endian (datasketch's ``sha1_hash32``), mixed by MurmurHash3's 32-bit
  finaliser, then mapped by ``num_perm`` affine permutations ``a·h + b``
  modulo 2³² with odd ``a``; the signature keeps each permutation's minimum.
* The permutations come from ``numpy.random.RandomState(seed)`` in
  datasketch's order.
* The banding (bands ``b``, rows ``r``, ``b·r ≤ num_perm``) minimises the
  weighted sum of the false-positive and false-negative areas under the
  S-curve ``1 − (1 − sʳ)ᵇ``. The integrands are polynomials of degree at
  most ``num_perm``, so Gauss–Legendre quadrature with ``num_perm/2 + 1``
  nodes integrates them exactly where datasketch calls scipy's ``quad``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np


def load_core():
    """The compiled ``text_signature`` (``ingest/_minhash_core.c``), or None where it is not built."""
    try:
        from ingest import _minhash_core
    except ImportError:
        return None
    return _minhash_core


CORE = load_core()
COMPILED = CORE is not None  # which form of text_signature runs
MAX_HASH = np.uint32(0xFFFFFFFF)
FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
BLOCK = 4096  # values mapped at once: a block × num_perm matrix of 4-byte words (2 MB at 128 permutations)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers ``a`` (odd) and offsets ``b`` of the ``num_perm`` permutations, as uint32 arrays."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def value_hashes(values: Iterable[bytes]) -> np.ndarray:
    """Each value's first 4 bytes of SHA-1 as a little-endian uint32, one array for all."""
    sha1 = hashlib.sha1
    return np.frombuffer(b"".join([sha1(value).digest()[:4] for value in values]), dtype="<u4").astype(np.uint32)


def mixed(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, element by element (multiplication wraps modulo 2³²)."""
    s1, m1, s2, m2, s3 = FMIX32
    hashes = hashes ^ (hashes >> s1)
    hashes = hashes * m1
    hashes = hashes ^ (hashes >> s2)
    hashes = hashes * m2
    return hashes ^ (hashes >> s3)


def signature(values: Iterable[bytes], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """The MinHash signature of a set of values: ``num_perm`` uint32 minima (all ``2³²−1`` for no value)."""
    minima = np.full(num_perm, MAX_HASH, dtype=np.uint32)
    lower_minima(minima, value_hashes(values), permutations(num_perm, seed))
    return minima


def text_signature(text: str, size: int, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """The signature of ``shingles(text, size)``: the compiled core's (``_minhash_core``, built by
    ``pip install -e .``) where it is built, else :func:`text_signature_py`, its reference."""
    if CORE is None:
        return text_signature_py(text, size, num_perm, seed)
    a, b = permutations(num_perm, seed)
    return np.frombuffer(CORE.text_signature(text, size, a.tobytes(), b.tobytes()), dtype=np.uint32).copy()


def text_signature_py(text: str, size: int, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """The signature of ``shingles(text, size)``, hashed ``BLOCK`` positions at a time.

    A shingle that recurs is hashed again rather than gathered into a set first:
    a minimum is the same over repeats, and memory stays one block's whatever the
    text's length (a set of a 10-million-character text's shingles is ~600 MB).
    """
    minima = np.full(num_perm, MAX_HASH, dtype=np.uint32)
    count = max(1, len(text) - size + 1)
    for start in range(0, count, BLOCK):
        block = (text[i:i + size].encode() for i in range(start, min(count, start + BLOCK)))
        lower_minima(minima, value_hashes(block), permutations(num_perm, seed))
    return minima


def lower_minima(minima: np.ndarray, hashes: np.ndarray, permutation: tuple[np.ndarray, np.ndarray]) -> None:
    """Lower each permutation's minimum in place to the least ``a·mixed(h) + b`` of ``hashes``."""
    a, b = permutation
    mixed_hashes = mixed(hashes)
    for start in range(0, len(mixed_hashes), BLOCK):
        block = mixed_hashes[start:start + BLOCK, None] * a
        block += b
        np.minimum(minima, block.min(axis=0), out=minima)


def shingles(text: str, size: int) -> set[bytes]:
    """The distinct ``size``-character substrings of ``text`` in UTF-8 (the whole text when it is shorter)."""
    return {text[i:i + size].encode() for i in range(max(1, len(text) - size + 1))}


@lru_cache(maxsize=8)
def optimal_bands(threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)) -> tuple[int, int]:
    """(bands, rows per band) minimising ``weights``' sum of the false-positive area (similarity below
    ``threshold``) and false-negative area (above it); the first pair in (b, r) order among equals."""
    nodes, node_weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    below = area(lambda s: candidate_probability(s, pairs), 0.0, threshold, nodes, node_weights)
    above = area(lambda s: 1 - candidate_probability(s, pairs), threshold, 1.0, nodes, node_weights)
    error = below * weights[0] + above * weights[1]
    return pairs[int(np.argmin(error))]


def candidate_probability(similarity: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    """P(two sets of Jaccard ``similarity`` share a band) for each (b, r): rows are pairs, columns points."""
    b = np.array([p[0] for p in pairs], dtype=float)[:, None]
    r = np.array([p[1] for p in pairs], dtype=float)[:, None]
    return 1 - (1 - similarity[None, :] ** r) ** b


def area(function, low: float, high: float, nodes: np.ndarray, node_weights: np.ndarray) -> np.ndarray:
    """∫ ``function`` from ``low`` to ``high`` by Gauss–Legendre quadrature, one value per row."""
    half = (high - low) / 2
    return function(half * nodes + (high + low) / 2) @ node_weights * half
