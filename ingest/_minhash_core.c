/* The MinHash signature of a text's character shingles, compiled (ingest/minhash.py's text_signature).
 *
 * For each position i of the text (count = max(1, len - size + 1)), the shingle text[i:i+size] in UTF-8
 * is hashed with SHA-1; its first 4 digest bytes, read little-endian, are mixed by MurmurHash3's 32-bit
 * finaliser and mapped by every permutation a*h + b (mod 2^32); each permutation keeps its minimum.
 * The same values as the Python form, which stays the reference (tests/test_minhash.py compares them).
 * SHA-1 is written out here (FIPS 180-4): a shingle of at most 13 characters is one 64-byte block.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/* One SHA-1 compression of a 64-byte block into h. */
static void sha1_block(uint32_t h[5], const unsigned char block[64]) {
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = ((uint32_t)block[4 * t] << 24) | ((uint32_t)block[4 * t + 1] << 16) |
               ((uint32_t)block[4 * t + 2] << 8) | (uint32_t)block[4 * t + 3];
    for (int t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], temp;
    for (int t = 0; t < 20; t++) {
        temp = rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5A827999u + w[t];
        e = d; d = c; c = rotl(b, 30); b = a; a = temp;
    }
    for (int t = 20; t < 40; t++) {
        temp = rotl(a, 5) + (b ^ c ^ d) + e + 0x6ED9EBA1u + w[t];
        e = d; d = c; c = rotl(b, 30); b = a; a = temp;
    }
    for (int t = 40; t < 60; t++) {
        temp = rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8F1BBCDCu + w[t];
        e = d; d = c; c = rotl(b, 30); b = a; a = temp;
    }
    for (int t = 60; t < 80; t++) {
        temp = rotl(a, 5) + (b ^ c ^ d) + e + 0xCA62C1D6u + w[t];
        e = d; d = c; c = rotl(b, 30); b = a; a = temp;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_X86 1

/* The same compression with the x86 SHA extensions (SHA-NI: four rounds an instruction). The state is
 * kept as Intel's guide lays it out: A..D in one register, A in the highest lane; E in the highest lane of
 * another; the message words big-endian, the first in the highest lane. Each step of four rounds takes the
 * next schedule words (sha1nexte adds E), runs the rounds (sha1rnds4, the round function of rounds
 * 20f..20f+19) and advances the schedule (sha1msg1, xor, sha1msg2). */
#define FOUR_ROUNDS(mi, mj, mk, ml, ei, ej, f) \
    do { \
        ei = _mm_sha1nexte_epu32(ei, mi); \
        ej = abcd; \
        mj = _mm_sha1msg2_epu32(mj, mi); \
        abcd = _mm_sha1rnds4_epu32(abcd, ei, f); \
        ml = _mm_sha1msg1_epu32(ml, mi); \
        mk = _mm_xor_si128(mk, mi); \
    } while (0)

__attribute__((target("sha,ssse3,sse4.1")))
static void sha1_block_ni(uint32_t h[5], const unsigned char block[64]) {
    const __m128i reverse = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1B);
    __m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0), e1;
    const __m128i abcd_save = abcd, e_save = e0;
    __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 0)), reverse);
    __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16)), reverse);
    __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 32)), reverse);
    __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 48)), reverse);
    /* rounds 0-3 */
    e0 = _mm_add_epi32(e0, m0);
    e1 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
    /* rounds 4-7 */
    e1 = _mm_sha1nexte_epu32(e1, m1);
    e0 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
    m0 = _mm_sha1msg1_epu32(m0, m1);
    /* rounds 8-11 */
    e0 = _mm_sha1nexte_epu32(e0, m2);
    e1 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
    m1 = _mm_sha1msg1_epu32(m1, m2);
    m0 = _mm_xor_si128(m0, m2);
    FOUR_ROUNDS(m3, m0, m1, m2, e1, e0, 0); /* 12-15 */
    FOUR_ROUNDS(m0, m1, m2, m3, e0, e1, 0); /* 16-19 */
    FOUR_ROUNDS(m1, m2, m3, m0, e1, e0, 1); /* 20-23 */
    FOUR_ROUNDS(m2, m3, m0, m1, e0, e1, 1);
    FOUR_ROUNDS(m3, m0, m1, m2, e1, e0, 1);
    FOUR_ROUNDS(m0, m1, m2, m3, e0, e1, 1);
    FOUR_ROUNDS(m1, m2, m3, m0, e1, e0, 1); /* 36-39 */
    FOUR_ROUNDS(m2, m3, m0, m1, e0, e1, 2); /* 40-43 */
    FOUR_ROUNDS(m3, m0, m1, m2, e1, e0, 2);
    FOUR_ROUNDS(m0, m1, m2, m3, e0, e1, 2);
    FOUR_ROUNDS(m1, m2, m3, m0, e1, e0, 2);
    FOUR_ROUNDS(m2, m3, m0, m1, e0, e1, 2); /* 56-59 */
    FOUR_ROUNDS(m3, m0, m1, m2, e1, e0, 3); /* 60-63 */
    FOUR_ROUNDS(m0, m1, m2, m3, e0, e1, 3); /* 64-67 */
    /* rounds 68-71: the schedule's last words */
    e1 = _mm_sha1nexte_epu32(e1, m1);
    e0 = abcd;
    m2 = _mm_sha1msg2_epu32(m2, m1);
    abcd = _mm_sha1rnds4_epu32(abcd, e1, 3);
    m3 = _mm_xor_si128(m3, m1);
    /* rounds 72-75 */
    e0 = _mm_sha1nexte_epu32(e0, m2);
    e1 = abcd;
    m3 = _mm_sha1msg2_epu32(m3, m2);
    abcd = _mm_sha1rnds4_epu32(abcd, e0, 3);
    /* rounds 76-79 */
    e1 = _mm_sha1nexte_epu32(e1, m3);
    e0 = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e1, 3);
    /* add the block's result to the state */
    e0 = _mm_sha1nexte_epu32(e0, e_save);
    abcd = _mm_add_epi32(abcd, abcd_save);
    _mm_storeu_si128((__m128i *)h, _mm_shuffle_epi32(abcd, 0x1B));
    h[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

static int cpu_has_sha(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int sha = (ebx >> 29) & 1;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return sha && (ecx & bit_SSSE3) && (ecx & bit_SSE4_1);
}
#endif

/* Which compression runs: SHA-NI where the CPU has it (set at import; tests switch it to compare both). */
static void (*compress)(uint32_t h[5], const unsigned char block[64]) = sha1_block;

/* The first 32 bits of SHA-1(data[0:len]) (H0), for any length: the message, 0x80, zeros and its
 * length in bits (big-endian) fill whole 64-byte blocks. */
static uint32_t sha1_h0(const unsigned char *data, size_t len) {
    uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    unsigned char block[64];
    size_t done = 0;
    while (len - done >= 64) {
        compress(h, data + done);
        done += 64;
    }
    size_t rest = len - done;
    memset(block, 0, 64);
    memcpy(block, data + done, rest);
    block[rest] = 0x80;
    if (rest >= 56) {  /* no room for the length: it goes in one more block */
        compress(h, block);
        memset(block, 0, 64);
    }
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++) block[63 - k] = (unsigned char)(bits >> (8 * k));
    compress(h, block);
    return h[0];
}

static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

/* text_signature(text: str, size: int, a: bytes, b: bytes) -> bytes
 * a and b: the permutations' multipliers and offsets as native uint32 arrays of equal length;
 * returns the minima in the same layout. */
static PyObject *text_signature(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t size;
    Py_buffer abuf, bbuf;
    if (!PyArg_ParseTuple(args, "Uny*y*", &text, &size, &abuf, &bbuf)) return NULL;
    PyObject *result = NULL;
    size_t *starts = NULL;
    Py_ssize_t perms = abuf.len / 4;
    if (size < 1 || abuf.len != bbuf.len || abuf.len % 4) {
        PyErr_SetString(PyExc_ValueError, "size must be positive and a, b uint32 arrays of one length");
        goto done;
    }
    Py_ssize_t nbytes;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &nbytes);
    if (utf8 == NULL) goto done;
    Py_ssize_t nchars = PyUnicode_GET_LENGTH(text);
    starts = PyMem_Malloc(sizeof(size_t) * (nchars + 1));
    if (starts == NULL) { PyErr_NoMemory(); goto done; }
    Py_ssize_t c = 0;
    for (Py_ssize_t i = 0; i < nbytes; i++)
        if (((unsigned char)utf8[i] & 0xC0) != 0x80) starts[c++] = (size_t)i;
    starts[c] = (size_t)nbytes;
    const uint32_t *a = abuf.buf, *b = bbuf.buf;
    result = PyBytes_FromStringAndSize(NULL, perms * 4);
    if (result == NULL) goto done;
    uint32_t *minima = (uint32_t *)PyBytes_AS_STRING(result);
    for (Py_ssize_t j = 0; j < perms; j++) minima[j] = 0xFFFFFFFFu;
    Py_ssize_t count = nchars - size + 1 > 1 ? nchars - size + 1 : 1;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t end = i + size < nchars ? i + size : nchars;
        size_t from = i < nchars ? starts[i] : (size_t)nbytes;
        uint32_t h0 = sha1_h0((const unsigned char *)utf8 + from, starts[end] - from);
        /* the digest's first 4 bytes are H0 big-endian; read little-endian they are H0 byte-swapped */
        uint32_t h = fmix32(((h0 & 0xFFu) << 24) | ((h0 & 0xFF00u) << 8) | ((h0 >> 8) & 0xFF00u) | (h0 >> 24));
        for (Py_ssize_t j = 0; j < perms; j++) {
            uint32_t v = a[j] * h + b[j];
            minima[j] = v < minima[j] ? v : minima[j]; /* branch-free: the compiler vectorises the loop */
        }
    }
    Py_END_ALLOW_THREADS
done:
    PyMem_Free(starts);
    PyBuffer_Release(&abuf);
    PyBuffer_Release(&bbuf);
    return result;
}

/* sha_extensions(enabled: bool | None = None) -> bool: whether the SHA-NI compression runs; with a bool,
 * switch to it (where the CPU has it) or to the portable one first. */
static PyObject *sha_extensions(PyObject *self, PyObject *args) {
    PyObject *enabled = Py_None;
    if (!PyArg_ParseTuple(args, "|O", &enabled)) return NULL;
    if (enabled != Py_None) {
        int want = PyObject_IsTrue(enabled);
        if (want < 0) return NULL;
        compress = sha1_block;
#ifdef HAVE_X86
        if (want && cpu_has_sha()) compress = sha1_block_ni;
#endif
    }
#ifdef HAVE_X86
    return PyBool_FromLong(compress == sha1_block_ni);
#else
    return PyBool_FromLong(0);
#endif
}

static PyMethodDef methods[] = {
    {"sha_extensions", sha_extensions, METH_VARARGS,
     "sha_extensions(enabled=None): whether SHA-1 runs on the CPU's SHA extensions; a bool switches first."},
    {"text_signature", text_signature, METH_VARARGS,
     "text_signature(text, size, a, b): the MinHash minima (uint32 bytes) of text's size-character shingles."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_minhash_core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__minhash_core(void) {
#ifdef HAVE_X86
    if (cpu_has_sha()) compress = sha1_block_ni;
#endif
    return PyModule_Create(&module);
}
