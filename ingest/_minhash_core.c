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

/* The first 32 bits of SHA-1(data[0:len]) (H0), for any length: the message, 0x80, zeros and its
 * length in bits (big-endian) fill whole 64-byte blocks. */
static uint32_t sha1_h0(const unsigned char *data, size_t len) {
    uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    unsigned char block[64];
    size_t done = 0;
    while (len - done >= 64) {
        sha1_block(h, data + done);
        done += 64;
    }
    size_t rest = len - done;
    memset(block, 0, 64);
    memcpy(block, data + done, rest);
    block[rest] = 0x80;
    if (rest >= 56) {  /* no room for the length: it goes in one more block */
        sha1_block(h, block);
        memset(block, 0, 64);
    }
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++) block[63 - k] = (unsigned char)(bits >> (8 * k));
    sha1_block(h, block);
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

static PyMethodDef methods[] = {
    {"text_signature", text_signature, METH_VARARGS,
     "text_signature(text, size, a, b): the MinHash minima (uint32 bytes) of text's size-character shingles."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_minhash_core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__minhash_core(void) { return PyModule_Create(&module); }
