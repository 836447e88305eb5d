"""The compiled parts (issue 14), built by ``pip install -e .`` with the C compiler: the seed repair's core and
the MinHash signatures of the duplicate keys (``ingest._minhash_core``).

Everything else is in pyproject.toml. The extension is optional: where it cannot be built (no
compiler, no Python headers), the install goes on and the package runs its Python forms, with the
same outputs (``cleaners.repair.misaligned_gbk.core.COMPILED``, ``cleaners.repair.charlm.COMPILED_ROW`` and
``ingest.minhash.COMPILED`` say which runs).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "cleaners.repair.misaligned_gbk._core",
            ["cleaners/repair/misaligned_gbk/_core.c"],
            # IEEE arithmetic as Python does it: no contraction into fused multiply-adds
            extra_compile_args=["-O2", "-ffp-contract=off"],
            optional=True,
        ),
        Extension(
            "ingest._minhash_core",
            ["ingest/_minhash_core.c"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
        Extension(
            "cleaners.repair._charlm_core",
            ["cleaners/repair/_charlm_core.c"],
            extra_compile_args=["-O2", "-ffp-contract=off"],
            optional=True,
        ),
    ]
)
