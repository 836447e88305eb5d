/* The seed repair's compiled core (issue 14): the inner loops of the beam search in C.
 *
 * Each function here computes exactly what a Python function of the package computes (its
 * reference, kept and compared with it call by call in tests/test_mojibake_core.py): the same
 * float64 operations in the same order (no fused or reordered arithmetic: built without
 * -ffast-math), so the search makes the same decisions. When this module is not built, the
 * package runs its Python forms (cleaners.repair.misaligned_gbk.core.COMPILED says which).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <string.h>

static double char_bonus, fourgram_bonus, odd_cost;
static double quote_cost, short_quote_cost;
static Py_ssize_t short_quote;

/* 0 when a fast-call function ``name`` got ``expected`` arguments, else -1 with a TypeError set. */
static int
check_nargs(const char *name, Py_ssize_t nargs, Py_ssize_t expected)
{
    if (nargs == expected)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s takes %zd arguments", name, expected);
    return -1;
}

static PyObject *
configure(PyObject *self, PyObject *args)
{
    if (!PyArg_ParseTuple(args, "ddd", &char_bonus, &fourgram_bonus, &odd_cost))
        return NULL;
    Py_RETURN_NONE;
}

/* configure_quotes(quote_cost, short_quote, short_quote_cost): the params scoring.quote_score reads. */
static PyObject *
configure_quotes(PyObject *self, PyObject *args)
{
    if (!PyArg_ParseTuple(args, "dnd", &quote_cost, &short_quote, &short_quote_cost))
        return NULL;
    Py_RETURN_NONE;
}

static int
is_sentence_end(Py_UCS4 c)
{
    return c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */;
}

static int
is_closing_quote(Py_UCS4 c)
{
    return c == 0x201D /* ” */ || c == 0x2019 /* ’ */;
}

static int
is_list_comma(Py_UCS4 c)
{
    return c == 0x3001 /* 、 */ || c == 0xFF0C /* ， */ || c == 0x2C /* , */;
}

/* follower_scores(base, history, chars, cache, fourgrams, extra) -> list[float] | None
 *
 * scoring.follower_scores after its history (``left + "".join(h.out[-3:])``) is known:
 * ``cache`` is the model's log P cache (key ``prev + char``), ``fourgrams`` the page's
 * 4-gram set. None when a probability is not cached yet (the caller fills the cache with
 * model.logps and calls again).
 */
static PyObject *
follower_scores(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("follower_scores", nargs, 6) < 0)
        return NULL;
    double base = PyFloat_AsDouble(args[0]);
    if (base == -1.0 && PyErr_Occurred())
        return NULL;
    PyObject *history = args[1], *chars = args[2], *cache = args[3], *fourgrams = args[4];
    double extra = PyFloat_AsDouble(args[5]);
    if (extra == -1.0 && PyErr_Occurred())
        return NULL;
    if (!PyUnicode_Check(history) || !PyDict_Check(cache)) {
        PyErr_SetString(PyExc_TypeError, "history must be str and cache a dict");
        return NULL;
    }
    Py_ssize_t hlen = PyUnicode_GET_LENGTH(history);
    int odd_context = hlen >= 2 && is_closing_quote(PyUnicode_READ_CHAR(history, hlen - 1))
                      && is_sentence_end(PyUnicode_READ_CHAR(history, hlen - 2));
    PyObject *prev = PyUnicode_Substring(history, hlen >= 1 ? hlen - 1 : 0, hlen);
    if (prev == NULL)
        return NULL;
    PyObject *context = NULL;
    if (hlen >= 3) {
        context = PyUnicode_Substring(history, hlen - 3, hlen);
        if (context == NULL) {
            Py_DECREF(prev);
            return NULL;
        }
    }
    int check_fourgrams = context != NULL && PyObject_Length(fourgrams) > 0;
    if (PyErr_Occurred())
        goto fail_early;
    PyObject *seq = PySequence_Fast(chars, "chars must be a sequence");
    if (seq == NULL)
        goto fail_early;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ch = items[k];
        PyObject *key = PyUnicode_Concat(prev, ch);
        if (key == NULL)
            goto fail_out;
        PyObject *cached = PyDict_GetItemWithError(cache, key);
        Py_DECREF(key);
        if (cached == NULL) {
            if (PyErr_Occurred())
                goto fail_out;
            Py_DECREF(out);
            Py_DECREF(seq);
            Py_DECREF(prev);
            Py_XDECREF(context);
            Py_RETURN_NONE;
        }
        double logp = PyFloat_AsDouble(cached);
        if (logp == -1.0 && PyErr_Occurred())
            goto fail_out;
        double odd = 0.0;
        if (odd_context && PyUnicode_GET_LENGTH(ch) == 1 && is_list_comma(PyUnicode_READ_CHAR(ch, 0)))
            odd = odd_cost;
        double score = base + logp + char_bonus + extra - odd;
        if (check_fourgrams) {
            PyObject *gram = PyUnicode_Concat(context, ch);
            if (gram == NULL)
                goto fail_out;
            int seen = PySet_Contains(fourgrams, gram);
            Py_DECREF(gram);
            if (seen < 0)
                goto fail_out;
            if (seen)
                score += fourgram_bonus;
        }
        PyObject *value = PyFloat_FromDouble(score);
        if (value == NULL)
            goto fail_out;
        PyList_SET_ITEM(out, k, value);
    }
    Py_DECREF(seq);
    Py_DECREF(prev);
    Py_XDECREF(context);
    return out;
fail_out:
    Py_DECREF(out);
fail:
    Py_DECREF(seq);
fail_early:
    Py_DECREF(prev);
    Py_XDECREF(context);
    return NULL;
}


/* --- Hypothesis objects, made and read through their slots ------------------------------- */

static PyTypeObject *hyp_type;
static Py_ssize_t off_score, off_pending, off_pending_guessed, off_out, off_guessed, off_slots;
static PyObject *odd_chars;  /* "、，," */

#define FIELD(obj, off) (*(PyObject **)((char *)(obj) + (off)))

static int
slot_offset(PyObject *cls, const char *name, Py_ssize_t *offset)
{
    PyObject *descr = PyObject_GetAttrString(cls, name);
    if (descr == NULL)
        return -1;
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        Py_DECREF(descr);
        PyErr_Format(PyExc_TypeError, "Hypothesis.%s is not a slot", name);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX) {
        Py_DECREF(descr);
        PyErr_Format(PyExc_TypeError, "Hypothesis.%s is not an object slot", name);
        return -1;
    }
    *offset = member->offset;
    Py_DECREF(descr);
    return 0;
}

/* configure_hypothesis(cls): the class whose instances emit and push make (hypothesis.Hypothesis). */
static PyObject *
configure_hypothesis(PyObject *self, PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "a class is needed");
        return NULL;
    }
    if (slot_offset(cls, "score", &off_score) < 0 || slot_offset(cls, "pending", &off_pending) < 0
        || slot_offset(cls, "pending_guessed", &off_pending_guessed) < 0 || slot_offset(cls, "out", &off_out) < 0
        || slot_offset(cls, "guessed", &off_guessed) < 0 || slot_offset(cls, "slots", &off_slots) < 0)
        return NULL;
    Py_INCREF(cls);
    Py_XSETREF(hyp_type, (PyTypeObject *)cls);
    Py_RETURN_NONE;
}

/* A new Hypothesis; steals the references to score, out and guessed. */
static PyObject *
new_hypothesis(PyObject *score, PyObject *pending, PyObject *pending_guessed, PyObject *out, PyObject *guessed,
               PyObject *slots)
{
    if (score == NULL || out == NULL || guessed == NULL) {
        Py_XDECREF(score);
        Py_XDECREF(out);
        Py_XDECREF(guessed);
        return NULL;
    }
    PyObject *h = hyp_type->tp_alloc(hyp_type, 0);
    if (h == NULL) {
        Py_DECREF(score);
        Py_DECREF(out);
        Py_DECREF(guessed);
        return NULL;
    }
    FIELD(h, off_score) = score;
    Py_INCREF(pending);
    FIELD(h, off_pending) = pending;
    Py_INCREF(pending_guessed);
    FIELD(h, off_pending_guessed) = pending_guessed;
    FIELD(h, off_out) = out;
    FIELD(h, off_guessed) = guessed;
    Py_INCREF(slots);
    FIELD(h, off_slots) = slots;
    return h;
}

static int
check_hypothesis(PyObject *h)
{
    if (hyp_type == NULL || !PyObject_TypeCheck(h, hyp_type)) {
        PyErr_SetString(PyExc_TypeError, "a Hypothesis is needed (configure_hypothesis first)");
        return -1;
    }
    if (FIELD(h, off_score) == NULL || FIELD(h, off_out) == NULL || FIELD(h, off_guessed) == NULL
        || FIELD(h, off_slots) == NULL || FIELD(h, off_pending) == NULL || FIELD(h, off_pending_guessed) == NULL
        || !PyTuple_Check(FIELD(h, off_out)) || !PyTuple_Check(FIELD(h, off_guessed))) {
        PyErr_SetString(PyExc_TypeError, "an incomplete Hypothesis");
        return -1;
    }
    return 0;
}

/* ``t + (item,)`` for a tuple t. */
static PyObject *
tuple_plus(PyObject *t, PyObject *item)
{
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    PyObject *out = PyTuple_New(n + 1);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *x = PyTuple_GET_ITEM(t, k);
        Py_INCREF(x);
        PyTuple_SET_ITEM(out, k, x);
    }
    Py_INCREF(item);
    PyTuple_SET_ITEM(out, n, item);
    return out;
}

/* The last (up to) three code points of ``left + "".join(out[-3:])``, oldest first, and how many. */
static int
history_tail(PyObject *left, PyObject *out, Py_UCS4 tail[3], int *count)
{
    Py_UCS4 rev[3];
    int n = 0;
    Py_ssize_t items = PyTuple_GET_SIZE(out);
    Py_ssize_t first = items > 3 ? items - 3 : 0;
    for (Py_ssize_t k = items - 1; k >= first && n < 3; k--) {
        PyObject *c = PyTuple_GET_ITEM(out, k);
        if (!PyUnicode_Check(c)) {
            PyErr_SetString(PyExc_TypeError, "out must hold str");
            return -1;
        }
        for (Py_ssize_t j = PyUnicode_GET_LENGTH(c) - 1; j >= 0 && n < 3; j--)
            rev[n++] = PyUnicode_READ_CHAR(c, j);
    }
    for (Py_ssize_t j = PyUnicode_GET_LENGTH(left) - 1; j >= 0 && n < 3; j--)
        rev[n++] = PyUnicode_READ_CHAR(left, j);
    for (int k = 0; k < n; k++)
        tail[k] = rev[n - 1 - k];
    *count = n;
    return 0;
}

/* What one emit needs of the page's model, read once per call from Python. */
typedef struct {
    PyObject *model, *cache, *fourgrams;
} Model;

static int
model_of(PyObject *model, Model *m)
{
    m->model = model;
    m->cache = PyObject_GetAttrString(model, "cache");
    if (m->cache == NULL)
        return -1;
    m->fourgrams = PyObject_GetAttrString(model, "fourgrams");
    if (m->fourgrams == NULL || !PyDict_Check(m->cache)) {
        if (m->fourgrams != NULL)
            PyErr_SetString(PyExc_TypeError, "model.cache must be a dict");
        Py_CLEAR(m->cache);
        Py_CLEAR(m->fourgrams);
        return -1;
    }
    return 0;
}

static void
model_done(Model *m)
{
    Py_CLEAR(m->cache);
    Py_CLEAR(m->fourgrams);
}

/* scoring.emit(h, char, guessed, left, model, extra, pending, pending_guessed). */
static PyObject *
emit_one(PyObject *h, PyObject *ch, PyObject *guessed, PyObject *left, Model *m, double extra, PyObject *pending,
         PyObject *pending_guessed)
{
    Py_UCS4 tail[4];
    int n;
    if (!PyUnicode_Check(ch)) {
        PyErr_SetString(PyExc_TypeError, "char must be str");
        return NULL;
    }
    if (history_tail(left, FIELD(h, off_out), tail, &n) < 0)
        return NULL;
    PyObject *key;
    if (n) {
        PyObject *prev = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &tail[n - 1], 1);
        if (prev == NULL)
            return NULL;
        key = PyUnicode_Concat(prev, ch);
        Py_DECREF(prev);
    } else {
        key = Py_NewRef(ch);
    }
    if (key == NULL)
        return NULL;
    PyObject *cached = PyDict_GetItemWithError(m->cache, key);
    Py_DECREF(key);
    double logp;
    if (cached != NULL) {
        logp = PyFloat_AsDouble(cached);
    } else {
        if (PyErr_Occurred())
            return NULL;
        PyObject *prev = n ? PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &tail[n - 1], 1) : PyUnicode_New(0, 0);
        if (prev == NULL)
            return NULL;
        PyObject *value = PyObject_CallMethod(m->model, "logp", "OO", prev, ch);
        Py_DECREF(prev);
        if (value == NULL)
            return NULL;
        logp = PyFloat_AsDouble(value);
        Py_DECREF(value);
    }
    if (logp == -1.0 && PyErr_Occurred())
        return NULL;
    double odd = 0.0;
    if (n >= 2 && is_closing_quote(tail[n - 1]) && is_sentence_end(tail[n - 2])) {
        int comma = PyUnicode_Contains(odd_chars, ch);
        if (comma < 0)
            return NULL;
        if (comma)
            odd = odd_cost;
    }
    double base = PyFloat_AsDouble(FIELD(h, off_score));
    if (base == -1.0 && PyErr_Occurred())
        return NULL;
    double score = base + logp + char_bonus + extra - odd;
    if (n >= 3) {
        PyObject *context = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, tail, 3);
        if (context == NULL)
            return NULL;
        PyObject *gram = PyUnicode_Concat(context, ch);
        Py_DECREF(context);
        if (gram == NULL)
            return NULL;
        int seen = PySequence_Contains(m->fourgrams, gram);
        Py_DECREF(gram);
        if (seen < 0)
            return NULL;
        if (seen)
            score += fourgram_bonus;
    }
    return new_hypothesis(PyFloat_FromDouble(score), pending, pending_guessed, tuple_plus(FIELD(h, off_out), ch),
                          tuple_plus(FIELD(h, off_guessed), guessed), FIELD(h, off_slots));
}

/* emit(h, char, guessed, left, model, extra, pending, pending_guessed) -> Hypothesis */
static PyObject *
emit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("emit", nargs, 8) < 0)
        return NULL;
    if (check_hypothesis(args[0]) < 0)
        return NULL;
    if (!PyUnicode_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "left must be str");
        return NULL;
    }
    double extra = PyFloat_AsDouble(args[5]);
    if (extra == -1.0 && PyErr_Occurred())
        return NULL;
    Model m;
    if (model_of(args[4], &m) < 0)
        return NULL;
    PyObject *out = emit_one(args[0], args[1], args[2], args[3], &m, extra, args[6], args[7]);
    model_done(&m);
    return out;
}

/* push(hyps, byte, guessed, left, model, chars) -> list[Hypothesis]; ``chars`` is gbk.flat_table(). */
static PyObject *
push(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("push", nargs, 6) < 0)
        return NULL;
    long byte = PyLong_AsLong(args[1]);
    if (byte == -1 && PyErr_Occurred())
        return NULL;
    PyObject *guessed = args[2], *left = args[3], *table = args[5];
    if (!PyUnicode_Check(left) || !PyList_Check(table) || PyList_GET_SIZE(table) != 0x10000 || byte < 0 || byte > 0xFF) {
        PyErr_SetString(PyExc_TypeError, "push: left must be str, chars the flat GBK table, byte a byte");
        return NULL;
    }
    int guessed_true = PyObject_IsTrue(guessed);
    if (guessed_true < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(args[0], "hyps must be a sequence");
    if (seq == NULL)
        return NULL;
    Model m;
    if (model_of(args[4], &m) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    PyObject *result = PyList_New(0), *ascii = NULL;
    if (result == NULL)
        goto fail;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject **hyps = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *h = hyps[k], *made;
        if (check_hypothesis(h) < 0)
            goto fail;
        PyObject *pending = FIELD(h, off_pending);
        if (pending == Py_None) {
            if (byte < 0x80) {
                if (ascii == NULL && (ascii = PyUnicode_FromOrdinal((int)byte)) == NULL)
                    goto fail;
                made = emit_one(h, ascii, Py_False, left, &m, 0.0, Py_None, Py_False);
            } else {
                PyObject *b = PyLong_FromLong(byte);
                if (b == NULL)
                    goto fail;
                Py_INCREF(FIELD(h, off_score));
                Py_INCREF(FIELD(h, off_out));
                Py_INCREF(FIELD(h, off_guessed));
                made = new_hypothesis(FIELD(h, off_score), b, guessed, FIELD(h, off_out), FIELD(h, off_guessed),
                                      FIELD(h, off_slots));
                Py_DECREF(b);
            }
        } else {
            long lead = PyLong_AsLong(pending);
            if (lead == -1 && PyErr_Occurred())
                goto fail;
            if (lead < 0 || lead > 0xFF) {
                PyErr_SetString(PyExc_ValueError, "a pending byte out of range");
                goto fail;
            }
            PyObject *ch = PyList_GET_ITEM(table, lead << 8 | byte);
            if (ch == Py_None)
                continue;
            made = emit_one(h, ch, guessed_true ? guessed : FIELD(h, off_pending_guessed), left, &m, 0.0, Py_None,
                            Py_False);
        }
        if (made == NULL)
            goto fail;
        int added = PyList_Append(result, made);
        Py_DECREF(made);
        if (added < 0)
            goto fail;
    }
    Py_XDECREF(ascii);
    model_done(&m);
    Py_DECREF(seq);
    return result;
fail:
    Py_XDECREF(ascii);
    Py_XDECREF(result);
    model_done(&m);
    Py_DECREF(seq);
    return NULL;
}

/* ---- ranking.rank_head: the head of a ranking of candidates by log P ---------------------------- */

typedef struct {
    double logp;
    long key;
    PyObject *ch;  /* borrowed from the candidates' tuple */
} Entry;

/* Descending by (logp, key, char), as Python sorts the tuples (log P, key, character) with reverse=True. */
static int
entry_order(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->logp != y->logp)
        return x->logp < y->logp ? 1 : -1;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    int c = PyUnicode_Compare(x->ch, y->ch);  /* str against str: never fails */
    return c < 0 ? 1 : (c > 0 ? -1 : 0);
}

/* The k-th smallest of a[0..n) (0-based), as np.partition(a, k)[k]: a is reordered. */
static double
kth_smallest(double *a, Py_ssize_t n, Py_ssize_t k)
{
    Py_ssize_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = a[lo + (hi - lo) / 2];
        Py_ssize_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

/* rank_head(values, special, keys, chars, want, margin) -> list[tuple[float, int, str]] | None
 *
 * ranking.rank_head_py: ``values`` the candidates' max(P, FLOOR) (float64), ``special`` log P of the
 * ASCII characters and marks by position. The entries within ``margin`` (relative) of the
 * ``want``-th largest plain probability, and the marks, as (log P, key, character), sorted
 * best first and cut where the rest of the list could not reach; None when that would be
 * (nearly) the whole list (the caller sorts the whole list).
 */
static PyObject *
rank_head(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("rank_head", nargs, 6) < 0)
        return NULL;
    PyObject *special = args[1], *keys = args[2], *chars = args[3];
    if (!PyDict_Check(special) || !PyTuple_Check(keys) || !PyTuple_Check(chars)
        || PyTuple_GET_SIZE(keys) != PyTuple_GET_SIZE(chars)) {
        PyErr_SetString(PyExc_TypeError, "rank_head(values, dict, tuple, tuple of its length, want, margin)");
        return NULL;
    }
    Py_ssize_t want = PyLong_AsSsize_t(args[4]);
    if (want == -1 && PyErr_Occurred())
        return NULL;
    double margin = PyFloat_AsDouble(args[5]);
    if (margin == -1.0 && PyErr_Occurred())
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(chars), n_special = PyDict_GET_SIZE(special);
    if (want < 1 || want > n) {
        PyErr_SetString(PyExc_ValueError, "want must be between 1 and the number of candidates");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return NULL;
    if (view.itemsize != sizeof(double) || view.format == NULL || strcmp(view.format, "d") != 0
        || view.len != n * (Py_ssize_t)sizeof(double)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "values must be a contiguous float64 array of the candidates' length");
        return NULL;
    }
    const double *values = view.buf;
    PyObject *result = NULL;
    double *plain = PyMem_Malloc(2 * (size_t)n * sizeof(double));
    Entry *entries = PyMem_Malloc(((size_t)n + (size_t)n_special) * sizeof(Entry));
    if (plain == NULL || entries == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double *work = plain + n;
    memcpy(plain, values, (size_t)n * sizeof(double));
    Py_ssize_t pos = 0;
    PyObject *at_obj, *value_obj;
    while (PyDict_Next(special, &pos, &at_obj, &value_obj)) {
        Py_ssize_t at = PyLong_AsSsize_t(at_obj);
        if (at == -1 && PyErr_Occurred())
            goto done;
        if (at < 0 || at >= n) {
            PyErr_SetString(PyExc_IndexError, "a special position out of range");
            goto done;
        }
        plain[at] = -1.0;  /* below every probability: not a plain candidate */
    }
    memcpy(work, plain, (size_t)n * sizeof(double));
    double threshold = kth_smallest(work, n, n - want);
    double floor_value = threshold * (1 - margin);
    Py_ssize_t count = 0;
    for (Py_ssize_t at = 0; at < n; at++) {
        if (plain[at] >= floor_value) {
            entries[count].logp = log(values[at]);
            entries[count].ch = PyTuple_GET_ITEM(chars, at);
            entries[count].key = PyLong_AsLong(PyTuple_GET_ITEM(keys, at));
            if (entries[count].key == -1 && PyErr_Occurred())
                goto done;
            count++;
        }
    }
    if (count + n_special >= n) {
        result = Py_None;  /* nearly all of it: the caller sorts the whole list */
        Py_INCREF(result);
        goto done;
    }
    pos = 0;
    while (PyDict_Next(special, &pos, &at_obj, &value_obj)) {
        Py_ssize_t at = PyLong_AsSsize_t(at_obj);
        entries[count].logp = PyFloat_AsDouble(value_obj);
        if (entries[count].logp == -1.0 && PyErr_Occurred())
            goto done;
        entries[count].ch = PyTuple_GET_ITEM(chars, at);
        entries[count].key = PyLong_AsLong(PyTuple_GET_ITEM(keys, at));
        if (entries[count].key == -1 && PyErr_Occurred())
            goto done;
        count++;
    }
    for (Py_ssize_t k = 0; k < count; k++)
        if (!PyUnicode_Check(entries[k].ch)) {
            PyErr_SetString(PyExc_TypeError, "the candidates must be str");
            goto done;
        }
    qsort(entries, (size_t)count, sizeof(Entry), entry_order);
    double bound = log(threshold) - margin / 2;
    Py_ssize_t head = 0;
    while (head < count && entries[head].logp >= bound)
        head++;
    result = PyList_New(head);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < head; k++) {
        PyObject *item = Py_BuildValue("(dlO)", entries[k].logp, entries[k].key, entries[k].ch);
        if (item == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, item);
    }
done:
    PyMem_Free(plain);
    PyMem_Free(entries);
    PyBuffer_Release(&view);
    return result;
}

/* --- gaps.best_chains ----------------------------------------------------------------------- */

typedef struct {
    double score;
    Py_ssize_t order;   /* position in the Python list of entries: the stable sort's tie-break */
    Py_ssize_t base;    /* index into the bases */
    PyObject *ch;       /* borrowed from the base's chain ends */
} Chain;

/* Descending by score, ties in their first order: ``sorted(entries, key=itemgetter(0), reverse=True)``. */
static int
chain_order(const void *a, const void *b)
{
    const Chain *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

/* scoring.follower_scores's loop for one history (its last three code points ``tail``, ``n`` of
 * them) into ``scores``: 1 done, 0 a probability is not cached yet, -1 an error. */
static int
follower_scores_into(double base, const Py_UCS4 *tail, int n, PyObject *const *chars, Py_ssize_t count,
                     PyObject *cache, PyObject *fourgrams, double extra, double *scores)
{
    int odd_context = n >= 2 && is_closing_quote(tail[n - 1]) && is_sentence_end(tail[n - 2]);
    PyObject *prev = n ? PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &tail[n - 1], 1) : PyUnicode_New(0, 0);
    if (prev == NULL)
        return -1;
    PyObject *context = NULL;
    int check_fourgrams = 0;
    if (n >= 3) {
        Py_ssize_t grams = PyObject_Length(fourgrams);
        if (grams < 0) {
            Py_DECREF(prev);
            return -1;
        }
        if (grams > 0) {
            context = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, tail, 3);
            if (context == NULL) {
                Py_DECREF(prev);
                return -1;
            }
            check_fourgrams = 1;
        }
    }
    int status = 1;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *ch = chars[k];
        if (!PyUnicode_Check(ch)) {
            PyErr_SetString(PyExc_TypeError, "chain ends must be str");
            status = -1;
            break;
        }
        PyObject *key = PyUnicode_Concat(prev, ch);
        if (key == NULL) {
            status = -1;
            break;
        }
        PyObject *cached = PyDict_GetItemWithError(cache, key);
        Py_DECREF(key);
        if (cached == NULL) {
            status = PyErr_Occurred() ? -1 : 0;
            break;
        }
        double logp = PyFloat_AsDouble(cached);
        if (logp == -1.0 && PyErr_Occurred()) {
            status = -1;
            break;
        }
        double odd = 0.0;
        if (odd_context && PyUnicode_GET_LENGTH(ch) == 1 && is_list_comma(PyUnicode_READ_CHAR(ch, 0)))
            odd = odd_cost;
        double score = base + logp + char_bonus + extra - odd;
        if (check_fourgrams) {
            PyObject *gram = PyUnicode_Concat(context, ch);
            if (gram == NULL) {
                status = -1;
                break;
            }
            int seen = PySet_Contains(fourgrams, gram);
            Py_DECREF(gram);
            if (seen < 0) {
                status = -1;
                break;
            }
            if (seen)
                score += fourgram_bonus;
        }
        scores[k] = score;
    }
    Py_DECREF(prev);
    Py_XDECREF(context);
    return status;
}

/* The scores of the ``count`` characters ``items`` (of the sequence ``seq``) after hypothesis ``h``: its score
 * plus each one's log-probability after its history (``left`` and its ``out``) and ``extra``, into ``*scores``,
 * grown to hold them (``*room``). A probability not worked out yet is asked of ``model.logps``, which caches
 * them all, and the scores made again. 0 done, -1 an error. */
static int
scores_after(PyObject *h, PyObject *left, const Model *m, PyObject *seq, PyObject *const *items, Py_ssize_t count,
             double extra, double **scores, Py_ssize_t *room)
{
    if (count > *room) {
        PyMem_Free(*scores);
        *room = count;
        *scores = PyMem_Malloc(*room * sizeof(double));
        if (*scores == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    Py_UCS4 tail[3];
    int n;
    if (history_tail(left, FIELD(h, off_out), tail, &n) < 0)
        return -1;
    double base = PyFloat_AsDouble(FIELD(h, off_score));
    if (base == -1.0 && PyErr_Occurred())
        return -1;
    int status = follower_scores_into(base, tail, n, items, count, m->cache, m->fourgrams, extra, *scores);
    if (status == 0) {
        PyObject *prev = n ? PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &tail[n - 1], 1) : PyUnicode_New(0, 0);
        if (prev == NULL)
            return -1;
        PyObject *filled = PyObject_CallMethod(m->model, "logps", "OO", prev, seq);
        Py_DECREF(prev);
        if (filled == NULL)
            return -1;
        Py_DECREF(filled);
        status = follower_scores_into(base, tail, n, items, count, m->cache, m->fourgrams, extra, *scores);
        if (status == 0) {
            PyErr_SetString(PyExc_RuntimeError, "model.logps left a probability out of model.cache");
            return -1;
        }
    }
    return status < 0 ? -1 : 0;
}

/* best_chains(bases, lead, left, model, chain_ends, keep, guessed) -> list[Hypothesis]
 *
 * gaps.best_chains_py: for every (base, trails) of ``bases``, ``chain_ends(base.out[-1], trails,
 * lead, model)`` (the Python ranking, remembered per page model) scored after the base as
 * scoring.follower_scores scores them (model.logps fills the cache on a miss); the ``keep``
 * best of all (stable: ties in their order), each made a Hypothesis that ends with its
 * character, flagged ``guessed``.
 */
static PyObject *
best_chains(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("best_chains", nargs, 7) < 0)
        return NULL;
    PyObject *lead = args[1], *left = args[2], *model = args[3], *ends_of = args[4], *guessed = args[6];
    Py_ssize_t keep = PyLong_AsSsize_t(args[5]);
    if (keep == -1 && PyErr_Occurred())
        return NULL;
    if (!PyUnicode_Check(left)) {
        PyErr_SetString(PyExc_TypeError, "left must be str");
        return NULL;
    }
    PyObject *bases = PySequence_Fast(args[0], "bases must be a sequence");
    if (bases == NULL)
        return NULL;
    Py_ssize_t nbases = PySequence_Fast_GET_SIZE(bases);
    PyObject **base_items = PySequence_Fast_ITEMS(bases);
    PyObject *result = NULL;
    PyObject **ends = PyMem_Calloc(nbases ? nbases : 1, sizeof(PyObject *));  /* each base's chain ends (tuples) */
    Chain *chains = NULL;
    Py_ssize_t nchains = 0, room = 0;
    double *scores = NULL;
    Py_ssize_t scores_room = 0;
    Model m = {NULL, NULL, NULL};
    if (ends == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (model_of(model, &m) < 0)
        goto done;
    for (Py_ssize_t b = 0; b < nbases; b++) {
        PyObject *pair = base_items[b];
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "bases must hold (Hypothesis, trails) tuples");
            goto done;
        }
        PyObject *h = PyTuple_GET_ITEM(pair, 0), *trails = PyTuple_GET_ITEM(pair, 1);
        if (check_hypothesis(h) < 0)
            goto done;
        PyObject *out = FIELD(h, off_out);
        if (PyTuple_GET_SIZE(out) == 0) {
            PyErr_SetString(PyExc_ValueError, "a base has written no character");
            goto done;
        }
        PyObject *found = PyObject_CallFunctionObjArgs(ends_of, PyTuple_GET_ITEM(out, PyTuple_GET_SIZE(out) - 1),
                                                       trails, lead, model, NULL);
        if (found == NULL)
            goto done;
        ends[b] = PySequence_Fast(found, "chain ends must be a sequence");
        Py_DECREF(found);
        if (ends[b] == NULL)
            goto done;
        Py_ssize_t count = PySequence_Fast_GET_SIZE(ends[b]);
        PyObject **chars = PySequence_Fast_ITEMS(ends[b]);
        if (scores_after(h, left, &m, ends[b], chars, count, 0.0, &scores, &scores_room) < 0)
            goto done;
        if (nchains + count > room) {
            room = 2 * (nchains + count) + 16;
            Chain *grown = PyMem_Realloc(chains, room * sizeof(Chain));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            chains = grown;
        }
        for (Py_ssize_t k = 0; k < count; k++) {
            chains[nchains].score = scores[k];
            chains[nchains].order = nchains;
            chains[nchains].base = b;
            chains[nchains].ch = chars[k];
            nchains++;
        }
    }
    if (nchains > keep) {
        qsort(chains, nchains, sizeof(Chain), chain_order);
        nchains = keep;
    }
    result = PyList_New(nchains);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < nchains; k++) {
        PyObject *h = PyTuple_GET_ITEM(base_items[chains[k].base], 0);
        PyObject *made = new_hypothesis(PyFloat_FromDouble(chains[k].score), Py_None, Py_False,
                                        tuple_plus(FIELD(h, off_out), chains[k].ch),
                                        tuple_plus(FIELD(h, off_guessed), guessed), FIELD(h, off_slots));
        if (made == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, made);
    }
done:
    if (ends != NULL) {
        for (Py_ssize_t b = 0; b < nbases; b++)
            Py_XDECREF(ends[b]);
        PyMem_Free(ends);
    }
    PyMem_Free(chains);
    PyMem_Free(scores);
    if (m.cache != NULL)
        model_done(&m);
    Py_DECREF(bases);
    return result;
}

/* --- gaps.interior_heads ---------------------------------------------------------------------- */

typedef struct {
    double score;
    Py_ssize_t n;       /* the base's index */
    long x;             /* the lead byte of the next dropped pair (the entry's key) */
    PyObject *key, *ch; /* owned references */
} Interior;

/* Descending by (score, n, x, character), as Python sorts those tuples with reverse=True. */
static int
interior_order(const void *a, const void *b)
{
    const Interior *p = a, *q = b;
    if (p->score != q->score)
        return p->score < q->score ? 1 : -1;
    if (p->n != q->n)
        return p->n < q->n ? 1 : -1;
    if (p->x != q->x)
        return p->x < q->x ? 1 : -1;
    int c = PyUnicode_Compare(p->ch, q->ch);  /* str against str: never fails */
    return c < 0 ? 1 : (c > 0 ? -1 : 0);
}

/* interior_heads(bases, model, ranking_of, keep) -> list[tuple[float, int, int, str]]
 *
 * gaps.interior_heads_py: for every (base, trails) of ``bases`` (n its index), the entries
 * (log P, x, character) of ``ranking_of(base.out[-1], trails, model)`` (a ranking.Ranking, read as
 * Ranking.read reads it: its whole list worked out by ``whole(model)`` if the reading goes past its
 * head), scored ``base.score + log P``, while they can still make the overall first ``keep``; all of
 * them as (score, n, x, character), sorted best first (tuple order), cut to ``keep``.
 */
static PyObject *
interior_heads(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("interior_heads", nargs, 4) < 0)
        return NULL;
    PyObject *model = args[1], *ranking_of = args[2];
    Py_ssize_t keep = PyLong_AsSsize_t(args[3]);
    if (keep == -1 && PyErr_Occurred())
        return NULL;
    if (keep < 1) {
        PyErr_SetString(PyExc_ValueError, "keep must be at least 1");
        return NULL;
    }
    PyObject *bases = PySequence_Fast(args[0], "bases must be a sequence");
    if (bases == NULL)
        return NULL;
    Py_ssize_t nbases = PySequence_Fast_GET_SIZE(bases);
    PyObject **base_items = PySequence_Fast_ITEMS(bases);
    Interior *scored = NULL;
    Py_ssize_t count = 0, room = 0;
    PyObject *result = NULL, *ranking = NULL, *entries = NULL;
    for (Py_ssize_t b = 0; b < nbases; b++) {
        PyObject *pair = base_items[b];
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "bases must hold (Hypothesis, trails) tuples");
            goto done;
        }
        PyObject *h = PyTuple_GET_ITEM(pair, 0), *trails = PyTuple_GET_ITEM(pair, 1);
        if (check_hypothesis(h) < 0)
            goto done;
        PyObject *out = FIELD(h, off_out);
        if (PyTuple_GET_SIZE(out) == 0) {
            PyErr_SetString(PyExc_ValueError, "a base has written no character");
            goto done;
        }
        double base = PyFloat_AsDouble(FIELD(h, off_score));
        if (base == -1.0 && PyErr_Occurred())
            goto done;
        ranking = PyObject_CallFunctionObjArgs(ranking_of, PyTuple_GET_ITEM(out, PyTuple_GET_SIZE(out) - 1), trails,
                                               model, NULL);
        if (ranking == NULL)
            goto done;
        double kth = 0.0;
        for (Py_ssize_t k = 0;; k++) {
            /* Ranking.read: the entries as they stand, the whole list once the head is read */
            for (;;) {
                Py_XSETREF(entries, PyObject_GetAttrString(ranking, "entries"));
                if (entries == NULL)
                    goto done;
                if (!PyList_Check(entries)) {
                    PyErr_SetString(PyExc_TypeError, "Ranking.entries must be a list");
                    goto done;
                }
                if (k < PyList_GET_SIZE(entries))
                    break;
                PyObject *complete = PyObject_GetAttrString(ranking, "complete");
                if (complete == NULL)
                    goto done;
                int done_reading = PyObject_IsTrue(complete);
                Py_DECREF(complete);
                if (done_reading < 0)
                    goto done;
                if (done_reading)
                    break;
                PyObject *whole = PyObject_CallMethod(ranking, "whole", "O", model);
                if (whole == NULL)
                    goto done;
                Py_DECREF(whole);
            }
            if (k >= PyList_GET_SIZE(entries))
                break;
            PyObject *entry = PyList_GET_ITEM(entries, k);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3) {
                PyErr_SetString(PyExc_TypeError, "a ranking entry must be (log P, x, character)");
                goto done;
            }
            double logp = PyFloat_AsDouble(PyTuple_GET_ITEM(entry, 0));
            if (logp == -1.0 && PyErr_Occurred())
                goto done;
            long x = PyLong_AsLong(PyTuple_GET_ITEM(entry, 1));
            if (x == -1 && PyErr_Occurred())
                goto done;
            double score = base + logp;
            if (k >= keep && score < kth)
                break;  /* the rest of this base cannot make the overall first ``keep`` */
            if (count == room) {
                room = 2 * room + 64;
                Interior *grown = PyMem_Realloc(scored, room * sizeof(Interior));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                scored = grown;
            }
            PyObject *ch = PyTuple_GET_ITEM(entry, 2);
            if (!PyUnicode_Check(ch)) {
                PyErr_SetString(PyExc_TypeError, "a ranking entry's character must be str");
                goto done;
            }
            scored[count].score = score;
            scored[count].n = b;
            scored[count].x = x;
            scored[count].key = Py_NewRef(PyTuple_GET_ITEM(entry, 1));
            scored[count].ch = Py_NewRef(ch);
            count++;
            if (k == keep - 1)
                kth = score;
        }
        Py_CLEAR(entries);
        Py_CLEAR(ranking);
    }
    qsort(scored, count, sizeof(Interior), interior_order);
    Py_ssize_t kept = count < keep ? count : keep;
    result = PyList_New(kept);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < kept; k++) {
        PyObject *item = Py_BuildValue("(dnOO)", scored[k].score, scored[k].n, scored[k].key, scored[k].ch);
        if (item == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, item);
    }
done:
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_DECREF(scored[k].key);
        Py_DECREF(scored[k].ch);
    }
    PyMem_Free(scored);
    Py_XDECREF(entries);
    Py_XDECREF(ranking);
    Py_DECREF(bases);
    return result;
}

/* --- gap_chains' seeds ------------------------------------------------------------------------ */

/* gap_seeds(hyps, left, model, candidates_of, keep, extra) -> list[tuple[Hypothesis, trails]]
 *
 * gaps.gap_seeds_py: for every hypothesis h of ``hyps`` (each waiting for a trail), the characters
 * ``candidates_of(h.pending)`` gives (a tuple of characters and a tuple of their pairs' trails)
 * scored after h as scoring.follower_scores scores them with ``extra`` (model.logps fills the
 * cache on a miss); the ``keep`` best of all (stable: ties in their order), each made a
 * Hypothesis that ends with its character (guessed), with its trails.
 */
static PyObject *
gap_seeds(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("gap_seeds", nargs, 6) < 0)
        return NULL;
    PyObject *left = args[1], *model = args[2], *candidates_of = args[3];
    Py_ssize_t keep = PyLong_AsSsize_t(args[4]);
    if (keep == -1 && PyErr_Occurred())
        return NULL;
    double extra = PyFloat_AsDouble(args[5]);
    if (extra == -1.0 && PyErr_Occurred())
        return NULL;
    if (!PyUnicode_Check(left)) {
        PyErr_SetString(PyExc_TypeError, "left must be str");
        return NULL;
    }
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL)
        return NULL;
    Py_ssize_t nhyps = PySequence_Fast_GET_SIZE(hyps);
    PyObject **hyp_items = PySequence_Fast_ITEMS(hyps);
    PyObject *result = NULL;
    PyObject **found = PyMem_Calloc(nhyps ? nhyps : 1, sizeof(PyObject *));  /* each h's (chars, trails) */
    Chain *chains = NULL;
    Py_ssize_t nchains = 0, room = 0, *first = NULL;
    double *scores = NULL;
    Py_ssize_t scores_room = 0;
    Model m = {NULL, NULL, NULL};
    if (found == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (model_of(model, &m) < 0)
        goto done;
    for (Py_ssize_t b = 0; b < nhyps; b++) {
        PyObject *h = hyp_items[b];
        if (check_hypothesis(h) < 0)
            goto done;
        found[b] = PyObject_CallOneArg(candidates_of, FIELD(h, off_pending));
        if (found[b] == NULL)
            goto done;
        if (!PyTuple_Check(found[b]) || PyTuple_GET_SIZE(found[b]) != 2
            || !PyTuple_Check(PyTuple_GET_ITEM(found[b], 0)) || !PyTuple_Check(PyTuple_GET_ITEM(found[b], 1))
            || PyTuple_GET_SIZE(PyTuple_GET_ITEM(found[b], 0)) != PyTuple_GET_SIZE(PyTuple_GET_ITEM(found[b], 1))) {
            PyErr_SetString(PyExc_TypeError, "candidates_of must give two tuples of one length");
            goto done;
        }
        PyObject *chars_tuple = PyTuple_GET_ITEM(found[b], 0);
        Py_ssize_t count = PyTuple_GET_SIZE(chars_tuple);
        PyObject **chars = &PyTuple_GET_ITEM(chars_tuple, 0);
        if (scores_after(h, left, &m, chars_tuple, chars, count, extra, &scores, &scores_room) < 0)
            goto done;
        if (nchains + count > room) {
            room = 2 * (nchains + count) + 16;
            Chain *grown = PyMem_Realloc(chains, room * sizeof(Chain));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            chains = grown;
        }
        for (Py_ssize_t k = 0; k < count; k++) {
            chains[nchains].score = scores[k];
            chains[nchains].order = nchains;  /* the entry's position overall: the stable sort's tie-break */
            chains[nchains].base = b;
            chains[nchains].ch = chars[k];
            nchains++;
        }
    }
    /* an entry's position within its h's candidates (for its trails): h's entries start at first[b] */
    first = PyMem_Malloc((nhyps ? nhyps : 1) * sizeof(Py_ssize_t));
    if (first == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t b = 0, at = 0; b < nhyps; b++) {
        first[b] = at;
        at += PyTuple_GET_SIZE(PyTuple_GET_ITEM(found[b], 0));
    }
    qsort(chains, nchains, sizeof(Chain), chain_order);  /* always sorted, as the seeds are */
    if (nchains > keep)
        nchains = keep;
    result = PyList_New(nchains);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < nchains; k++) {
        Py_ssize_t b = chains[k].base;
        PyObject *h = hyp_items[b];
        PyObject *trails = PyTuple_GET_ITEM(PyTuple_GET_ITEM(found[b], 1), chains[k].order - first[b]);
        PyObject *made = new_hypothesis(PyFloat_FromDouble(chains[k].score), Py_None, Py_False,
                                        tuple_plus(FIELD(h, off_out), chains[k].ch),
                                        tuple_plus(FIELD(h, off_guessed), Py_True), FIELD(h, off_slots));
        PyObject *item = made == NULL ? NULL : PyTuple_Pack(2, made, trails);
        Py_XDECREF(made);
        if (item == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, item);
    }
done:
    PyMem_Free(first);
    if (found != NULL) {
        for (Py_ssize_t b = 0; b < nhyps; b++)
            Py_XDECREF(found[b]);
        PyMem_Free(found);
    }
    PyMem_Free(chains);
    PyMem_Free(scores);
    if (m.cache != NULL)
        model_done(&m);
    Py_DECREF(hyps);
    return result;
}

/* --- the beam's pruning, with each kept hypothesis's slot ended ------------------------------- */

typedef struct {
    double score;
    Py_ssize_t order;
} Ranked;

static int
ranked_order(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

/* Hypothesis.ended_slot: the same hypothesis, its slots followed by len(out). */
static PyObject *
ended_slot(PyObject *h)
{
    PyObject *length = PyLong_FromSsize_t(PyTuple_GET_SIZE(FIELD(h, off_out)));
    if (length == NULL)
        return NULL;
    PyObject *slots = FIELD(h, off_slots);
    if (!PyTuple_Check(slots)) {
        Py_DECREF(length);
        PyErr_SetString(PyExc_TypeError, "slots must be a tuple");
        return NULL;
    }
    PyObject *ended = tuple_plus(slots, length);
    Py_DECREF(length);
    if (ended == NULL)
        return NULL;
    PyObject *made = new_hypothesis(Py_NewRef(FIELD(h, off_score)), FIELD(h, off_pending),
                                    FIELD(h, off_pending_guessed), Py_NewRef(FIELD(h, off_out)),
                                    Py_NewRef(FIELD(h, off_guessed)), ended);
    Py_DECREF(ended);
    return made;
}

/* ended_pruned(hyps, width) -> list[Hypothesis] | None
 *
 * ``[h.ended_slot() for h in hypothesis.prune(hyps, width)]`` (prune: the ``width`` best by score,
 * stable); None when a score is not a float or is NaN (the caller runs the Python form).
 */
static PyObject *
ended_pruned(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("ended_pruned", nargs, 2) < 0)
        return NULL;
    Py_ssize_t width = PyLong_AsSsize_t(args[1]);
    if (width == -1 && PyErr_Occurred())
        return NULL;
    if (width < 0) {
        PyErr_SetString(PyExc_ValueError, "width must not be negative");
        return NULL;
    }
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    PyObject *result = NULL;
    Ranked *ranked = NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (check_hypothesis(items[k]) < 0)
            goto done;
        if (!PyFloat_CheckExact(FIELD(items[k], off_score)) || isnan(PyFloat_AS_DOUBLE(FIELD(items[k], off_score)))) {
            result = Py_NewRef(Py_None);
            goto done;
        }
    }
    Py_ssize_t kept = n;
    if (n > width) {
        ranked = PyMem_Malloc(n * sizeof(Ranked));
        if (ranked == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            ranked[k].score = PyFloat_AS_DOUBLE(FIELD(items[k], off_score));
            ranked[k].order = k;
        }
        qsort(ranked, n, sizeof(Ranked), ranked_order);
        kept = width;
    }
    result = PyList_New(kept);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < kept; k++) {
        PyObject *made = ended_slot(items[ranked != NULL ? ranked[k].order : k]);
        if (made == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, made);
    }
done:
    PyMem_Free(ranked);
    Py_DECREF(hyps);
    return result;
}

/* The log P cache's value of ``prev + ch`` (model.logp's, which fills the cache on a miss). */
static int
cached_logp(Model *m, PyObject *prev, PyObject *ch, double *logp)
{
    PyObject *key = PyUnicode_Concat(prev, ch);
    if (key == NULL)
        return -1;
    PyObject *cached = PyDict_GetItemWithError(m->cache, key);
    Py_DECREF(key);
    if (cached != NULL) {
        *logp = PyFloat_AsDouble(cached);
    } else {
        if (PyErr_Occurred())
            return -1;
        PyObject *value = PyObject_CallMethod(m->model, "logp", "OO", prev, ch);
        if (value == NULL)
            return -1;
        *logp = PyFloat_AsDouble(value);
        Py_DECREF(value);
    }
    return (*logp == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static int
is_quote_mark(Py_UCS4 c)  /* “”。！？ */
{
    return c == 0x201C || c == 0x201D || is_sentence_end(c);
}

/* scoring.quote_score(before, out, after) from its two contexts (quote_context_before/after);
 * every element of ``out`` one character (checked by the caller). */
static double
quote_score_of(PyObject *before, PyObject *out, PyObject *after)
{
    Py_ssize_t items = PyTuple_GET_SIZE(out);
    int any = 0;
    for (Py_ssize_t k = 0; k < items && !any; k++)
        any = is_quote_mark(PyUnicode_READ_CHAR(PyTuple_GET_ITEM(out, k), 0));
    if (!any)
        return 0.0;
    Py_ssize_t nb = PyUnicode_GET_LENGTH(before), na = PyUnicode_GET_LENGTH(after);
    Py_ssize_t total = nb + items + na;
    Py_ssize_t depth = 0, unmatched = 0, shorts = 0, opened = -1;
    Py_UCS4 last = 0;
    for (Py_ssize_t k = 0; k < total; k++) {
        Py_UCS4 c = k < nb ? PyUnicode_READ_CHAR(before, k)
                  : k < nb + items ? PyUnicode_READ_CHAR(PyTuple_GET_ITEM(out, k - nb), 0)
                  : PyUnicode_READ_CHAR(after, k - nb - items);
        if (c == 0x201C) {
            depth += 1;
            opened = k;
            if (depth > 1) {
                unmatched += 1;
                depth = 1;
            }
        } else if (c == 0x201D) {
            if (depth == 0)
                unmatched += 1;
            else if (is_sentence_end(last) && k - opened <= short_quote)
                shorts += 1;
            depth = 0;
        }
        last = c;
    }
    return -quote_cost * (double)(unmatched + depth) - short_quote_cost * (double)shorts;
}

/* scoring.final_score(h, left, right, model) for one hypothesis; ``full`` is ``right`` made full-width. */
static int
final_score_of(PyObject *h, PyObject *left, PyObject *right, PyObject *full, Model *m, double *result)
{
    PyObject *out = FIELD(h, off_out);
    Py_ssize_t items = PyTuple_GET_SIZE(out);
    double score = PyFloat_AsDouble(FIELD(h, off_score));
    if (score == -1.0 && PyErr_Occurred())
        return -1;
    Py_ssize_t nright = PyUnicode_GET_LENGTH(right);
    if (nright == 0 && items) {
        PyObject *value = PyObject_CallMethod(m->model, "line_end_logp", "O", PyTuple_GET_ITEM(out, items - 1));
        if (value == NULL)
            return -1;
        double end = PyFloat_AsDouble(value);
        Py_DECREF(value);
        if (end == -1.0 && PyErr_Occurred())
            return -1;
        score += end;
    }
    if (nright) {
        if (nright == 1 && PyUnicode_READ_CHAR(right, 0) == ' ') {
            *result = score;
            return 0;
        }
        Py_UCS4 tail[3];
        int n;
        if (history_tail(left, out, tail, &n) < 0)
            return -1;
        PyObject *prev = items ? Py_NewRef(PyTuple_GET_ITEM(out, items - 1))
                               : PyUnicode_Substring(left, PyUnicode_GET_LENGTH(left) ? PyUnicode_GET_LENGTH(left) - 1 : 0,
                                                     PyUnicode_GET_LENGTH(left));
        if (prev == NULL)
            return -1;
        PyObject *following = PyUnicode_Substring(full, 0, 1);
        if (following == NULL) {
            Py_DECREF(prev);
            return -1;
        }
        double logp;
        int failed = cached_logp(m, prev, following, &logp);
        Py_DECREF(prev);
        Py_DECREF(following);
        if (failed)
            return -1;
        Py_UCS4 next = PyUnicode_READ_CHAR(full, 0);
        double odd = (n >= 2 && is_sentence_end(tail[n - 2]) && is_closing_quote(tail[n - 1]) && is_list_comma(next))
                     ? odd_cost : 0.0;
        score += logp - odd;
        Py_UCS4 text[6];
        Py_ssize_t len = 0, nfull = PyUnicode_GET_LENGTH(full);
        for (int k = 0; k < n; k++)
            text[len++] = tail[k];
        for (Py_ssize_t k = 0; k < nfull && len < 6; k++)
            text[len++] = PyUnicode_READ_CHAR(full, k);
        long seen = 0;
        for (Py_ssize_t k = 1; k < len - 3; k++) {
            PyObject *gram = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &text[k], 4);
            if (gram == NULL)
                return -1;
            int found = PySequence_Contains(m->fourgrams, gram);
            Py_DECREF(gram);
            if (found < 0)
                return -1;
            seen += found;
        }
        score += fourgram_bonus * (double)seen;
    }
    *result = score;
    return 0;
}

/* finish_scored(hyps, left, right, full_right, model, quote_before, quote_after) -> list | None
 *
 * ``sorted(((final_score(h, left, right, model) + quote_score(before, h.out, after), h) for h in hyps),
 * key=itemgetter(0), reverse=True)`` (Run.finish's ranking; scoring.finish_scored_py the reference):
 * ``full_right`` is ``right`` made full-width (HALF_TO_FULL, one character for one), ``quote_before``
 * and ``quote_after`` are quote_score's contexts. None when an element of an ``out`` is not one
 * character, ``right`` and ``full_right`` differ in length, or a score is NaN (the caller runs the
 * Python form).
 */
static PyObject *
finish_scored(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("finish_scored", nargs, 7) < 0)
        return NULL;
    PyObject *left = args[1], *right = args[2], *full = args[3], *before = args[5], *after = args[6];
    if (!PyUnicode_Check(left) || !PyUnicode_Check(right) || !PyUnicode_Check(full) || !PyUnicode_Check(before)
        || !PyUnicode_Check(after)) {
        PyErr_SetString(PyExc_TypeError, "left, right, full_right and the contexts must be str");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(right) != PyUnicode_GET_LENGTH(full) || PyUnicode_GET_LENGTH(right) > 3)
        Py_RETURN_NONE;
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    for (Py_ssize_t k = 0; k < count; k++) {
        if (check_hypothesis(items[k]) < 0) {
            Py_DECREF(hyps);
            return NULL;
        }
        PyObject *out = FIELD(items[k], off_out);
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(out); j++) {
            PyObject *c = PyTuple_GET_ITEM(out, j);
            if (!PyUnicode_Check(c) || PyUnicode_GET_LENGTH(c) != 1) {
                Py_DECREF(hyps);
                Py_RETURN_NONE;
            }
        }
    }
    Model m;
    if (model_of(args[4], &m) < 0) {
        Py_DECREF(hyps);
        return NULL;
    }
    PyObject *result = NULL;
    Ranked *ranked = PyMem_Malloc((count ? count : 1) * sizeof(Ranked));
    if (ranked == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        double score;
        if (final_score_of(items[k], left, right, full, &m, &score) < 0)
            goto done;
        score = score + quote_score_of(before, FIELD(items[k], off_out), after);
        if (isnan(score)) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        ranked[k].score = score;
        ranked[k].order = k;
    }
    qsort(ranked, count, sizeof(Ranked), ranked_order);
    result = PyList_New(count);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *pair = PyTuple_New(2);
        PyObject *value = PyFloat_FromDouble(ranked[k].score);
        if (pair == NULL || value == NULL) {
            Py_XDECREF(pair);
            Py_XDECREF(value);
            Py_CLEAR(result);
            goto done;
        }
        PyTuple_SET_ITEM(pair, 0, value);
        PyTuple_SET_ITEM(pair, 1, Py_NewRef(items[ranked[k].order]));
        PyList_SET_ITEM(result, k, pair);
    }
done:
    PyMem_Free(ranked);
    model_done(&m);
    Py_DECREF(hyps);
    return result;
}

/* with_lead_priors(hyps, weights, weight_of) -> list[Hypothesis]
 *
 * ``[scoring.with_lead_prior(h, model) for h in hyps]``: a hypothesis that wrote a character gets
 * the weight of its first character added to its score (``weights`` the model's lead_weights;
 * ``weight_of(char)`` works a missing one out and stores it); one that wrote none is kept as it is.
 */
static PyObject *
with_lead_priors(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("with_lead_priors", nargs, 3) < 0)
        return NULL;
    PyObject *weights = args[1], *weight_of = args[2];
    if (!PyDict_Check(weights)) {
        PyErr_SetString(PyExc_TypeError, "weights must be a dict");
        return NULL;
    }
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    PyObject *result = PyList_New(count);
    if (result == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *h = items[k];
        if (check_hypothesis(h) < 0)
            goto fail;
        PyObject *out = FIELD(h, off_out);
        if (PyTuple_GET_SIZE(out) == 0) {
            PyList_SET_ITEM(result, k, Py_NewRef(h));
            continue;
        }
        PyObject *first = PyTuple_GET_ITEM(out, 0);
        PyObject *weight = PyDict_GetItemWithError(weights, first);  /* borrowed */
        PyObject *owned = NULL;
        if (weight == NULL) {
            if (PyErr_Occurred())
                goto fail;
            owned = weight = PyObject_CallOneArg(weight_of, first);
            if (weight == NULL)
                goto fail;
        }
        double w = PyFloat_AsDouble(weight);
        Py_XDECREF(owned);
        if (w == -1.0 && PyErr_Occurred())
            goto fail;
        double score = PyFloat_AsDouble(FIELD(h, off_score));
        if (score == -1.0 && PyErr_Occurred())
            goto fail;
        PyObject *made = new_hypothesis(PyFloat_FromDouble(score + w), FIELD(h, off_pending),
                                        FIELD(h, off_pending_guessed), Py_NewRef(out),
                                        Py_NewRef(FIELD(h, off_guessed)), FIELD(h, off_slots));
        if (made == NULL)
            goto fail;
        PyList_SET_ITEM(result, k, made);
    }
    Py_DECREF(hyps);
    return result;
fail:
    Py_XDECREF(result);
    Py_DECREF(hyps);
    return NULL;
}

/* finishable(hyps, dictionary, pinned) -> list[Hypothesis]
 *
 * Run.finish's first filter: ``[h for h in hyps if h.pending is None and Run.unannotated(h)]``,
 * unannotated: no character of ``h.out`` (but the last, when an annotation pins it) is a key of
 * ``dictionary``.
 */
static PyObject *
finishable(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("finishable", nargs, 3) < 0)
        return NULL;
    PyObject *dictionary = args[1];
    int pinned = PyObject_IsTrue(args[2]);
    if (pinned < 0)
        return NULL;
    if (!PyDict_Check(dictionary)) {
        PyErr_SetString(PyExc_TypeError, "dictionary must be a dict");
        return NULL;
    }
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    PyObject *result = PyList_New(0);
    if (result == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *h = items[k];
        if (check_hypothesis(h) < 0)
            goto fail;
        if (FIELD(h, off_pending) != Py_None)
            continue;
        PyObject *out = FIELD(h, off_out);
        Py_ssize_t upto = PyTuple_GET_SIZE(out) - (pinned ? 1 : 0);
        int annotated = 0;
        for (Py_ssize_t j = 0; j < upto && !annotated; j++) {
            annotated = PyDict_Contains(dictionary, PyTuple_GET_ITEM(out, j));
            if (annotated < 0)
                goto fail;
        }
        if (!annotated && PyList_Append(result, h) < 0)
            goto fail;
    }
    Py_DECREF(hyps);
    return result;
fail:
    Py_XDECREF(result);
    Py_DECREF(hyps);
    return NULL;
}

/* --- confidence.closing_rivals ---------------------------------------------------------------- */

typedef struct {
    double score;
    Py_ssize_t order;   /* position in the Python form's lists: the stable sort's tie-break */
    Py_ssize_t length;  /* the length of the entry's slot (its group) */
    PyObject *made;     /* a dropped-pair chain (borrowed), or NULL: base followed by ch */
    PyObject *base;     /* borrowed */
    PyObject *ch;       /* borrowed from a tuple held in ``held`` */
} Rival;

static int
rival_order(const void *a, const void *b)
{
    const Rival *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

/* out[start:stop] == reading (reading a tuple), element by element as tuples compare. */
static int
slice_equals(PyObject *out, Py_ssize_t start, Py_ssize_t stop, PyObject *reading, Py_ssize_t upto)
{
    if (stop - start != upto)
        return 0;
    for (Py_ssize_t j = 0; j < upto; j++) {
        int eq = PyObject_RichCompareBool(PyTuple_GET_ITEM(out, start + j), PyTuple_GET_ITEM(reading, j), Py_EQ);
        if (eq <= 0)
            return eq;
    }
    return 1;
}

/* Hypothesis.slot(k)'s bounds: 0, or 1 when they lie outside ``out`` (not handled here), or -1. */
static int
slot_bounds(PyObject *h, Py_ssize_t k, Py_ssize_t *start, Py_ssize_t *stop, int *ended)
{
    PyObject *slots = FIELD(h, off_slots);
    if (!PyTuple_Check(slots)) {
        PyErr_SetString(PyExc_TypeError, "slots must be a tuple");
        return -1;
    }
    Py_ssize_t nslots = PyTuple_GET_SIZE(slots);
    *start = 0;
    if (k) {
        if (k - 1 >= nslots) {
            PyErr_SetString(PyExc_IndexError, "tuple index out of range");
            return -1;
        }
        *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(slots, k - 1));
        if (*start == -1 && PyErr_Occurred())
            return -1;
    }
    *ended = k < nslots;
    if (*ended) {
        *stop = PyLong_AsSsize_t(PyTuple_GET_ITEM(slots, k));
        if (*stop == -1 && PyErr_Occurred())
            return -1;
    } else {
        *stop = PyTuple_GET_SIZE(FIELD(h, off_out));
    }
    Py_ssize_t items = PyTuple_GET_SIZE(FIELD(h, off_out));
    return (*start < 0 || *stop < *start || *stop > items) ? 1 : 0;  /* 1: Python would clamp the slice */
}

static int
add_rival(Rival **rivals, Py_ssize_t *count, Py_ssize_t *room, Rival r)
{
    if (*count == *room) {
        Py_ssize_t grown_room = 2 * *room + 64;
        Rival *grown = PyMem_Realloc(*rivals, grown_room * sizeof(Rival));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        *rivals = grown;
        *room = grown_room;
    }
    r.order = *count;
    (*rivals)[(*count)++] = r;
    return 0;
}

/* closing_rivals(made, hyps, k, reading, left, model, chars_after, beam) -> list[Hypothesis] | None
 *
 * confidence.Confidence.closing_rivals_py after its dropped-pair chains (``made``: gap_chains'
 * hypotheses, in order, all of them): those whose slot ``k`` does not read ``reading``, then every
 * character ``chars_after(h.pending)`` after each hypothesis with a pending byte, scored as
 * scoring.follower_scores scores them, but the one that would read ``reading``; grouped by the
 * length of slot ``k`` (groups in order of first appearance), the best ``beam`` of a larger group
 * kept (stable). None when a score is not a float or is NaN (the caller runs the Python form).
 */
static PyObject *
closing_rivals(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("closing_rivals", nargs, 8) < 0)
        return NULL;
    PyObject *reading = args[3], *left = args[4], *model = args[5], *chars_after = args[6];
    Py_ssize_t k = PyLong_AsSsize_t(args[2]);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t beam = PyLong_AsSsize_t(args[7]);
    if (beam == -1 && PyErr_Occurred())
        return NULL;
    if (!PyTuple_Check(reading) || !PyUnicode_Check(left) || k < 0 || beam < 0) {
        PyErr_SetString(PyExc_TypeError, "reading must be a tuple, left a str, k and beam not negative");
        return NULL;
    }
    Py_ssize_t nreading = PyTuple_GET_SIZE(reading);
    PyObject *made = PySequence_Fast(args[0], "made must be a sequence");
    if (made == NULL)
        return NULL;
    PyObject *hyps = PySequence_Fast(args[1], "hyps must be a sequence");
    if (hyps == NULL) {
        Py_DECREF(made);
        return NULL;
    }
    PyObject *held = PyList_New(0);  /* the chars_after tuples, alive while their characters are used */
    PyObject *result = NULL;
    Rival *rivals = NULL, *kept = NULL;
    Py_ssize_t count = 0, room = 0;
    double *scores = NULL;
    Py_ssize_t scores_room = 0;
    Py_ssize_t *lengths = NULL;
    Model m = {NULL, NULL, NULL};
    if (held == NULL || model_of(model, &m) < 0)
        goto done;
    Py_ssize_t nmade = PySequence_Fast_GET_SIZE(made);
    PyObject **made_items = PySequence_Fast_ITEMS(made);
    for (Py_ssize_t j = 0; j < nmade; j++) {
        PyObject *h = made_items[j];
        if (check_hypothesis(h) < 0)
            goto done;
        Py_ssize_t start, stop;
        int ended;
        int bounds = slot_bounds(h, k, &start, &stop, &ended);
        if (bounds < 0)
            goto done;
        if (bounds) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        int eq = slice_equals(FIELD(h, off_out), start, stop, reading, nreading);
        if (eq < 0)
            goto done;
        if (eq)
            continue;
        PyObject *score = FIELD(h, off_score);
        if (!PyFloat_CheckExact(score) || isnan(PyFloat_AS_DOUBLE(score))) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        Rival r = {PyFloat_AS_DOUBLE(score), 0, stop - start, h, NULL, NULL};
        if (add_rival(&rivals, &count, &room, r) < 0)
            goto done;
    }
    Py_ssize_t nhyps = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    for (Py_ssize_t j = 0; j < nhyps; j++) {
        PyObject *h = items[j];
        if (check_hypothesis(h) < 0)
            goto done;
        if (FIELD(h, off_pending) == Py_None)
            continue;
        PyObject *out = FIELD(h, off_out);
        Py_ssize_t start, stop;
        int ended;
        int bounds = slot_bounds(h, k, &start, &stop, &ended);
        if (bounds < 0)
            goto done;
        if (bounds) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        Py_ssize_t length;
        PyObject *skip = NULL;
        if (ended) {  /* the slot ended before the closing character: the same for every one */
            int eq = slice_equals(out, start, stop, reading, nreading);
            if (eq < 0)
                goto done;
            if (eq)
                continue;
            length = stop - start;
        } else {
            length = stop - start + 1;
            if (nreading == length) {
                int eq = slice_equals(out, start, stop, reading, nreading - 1);
                if (eq < 0)
                    goto done;
                if (eq)
                    skip = PyTuple_GET_ITEM(reading, nreading - 1);
            }
        }
        PyObject *found = PyObject_CallOneArg(chars_after, FIELD(h, off_pending));
        if (found == NULL)
            goto done;
        PyObject *chars = PySequence_Fast(found, "chars_after must give a sequence");
        Py_DECREF(found);
        if (chars == NULL)
            goto done;
        int appended = PyList_Append(held, chars);
        Py_DECREF(chars);
        if (appended < 0)
            goto done;
        Py_ssize_t nchars = PySequence_Fast_GET_SIZE(chars);
        PyObject **char_items = PySequence_Fast_ITEMS(chars);
        if (scores_after(h, left, &m, chars, char_items, nchars, 0.0, &scores, &scores_room) < 0)
            goto done;
        for (Py_ssize_t c = 0; c < nchars; c++) {
            if (skip != NULL) {
                int eq = PyObject_RichCompareBool(char_items[c], skip, Py_EQ);
                if (eq < 0)
                    goto done;
                if (eq)
                    continue;
            }
            if (isnan(scores[c])) {
                result = Py_NewRef(Py_None);
                goto done;
            }
            Rival r = {scores[c], 0, length, NULL, h, char_items[c]};
            if (add_rival(&rivals, &count, &room, r) < 0)
                goto done;
        }
    }
    /* the groups by length, in order of first appearance; the best ``beam`` of a larger one */
    kept = PyMem_Malloc((count ? count : 1) * sizeof(Rival));
    lengths = PyMem_Malloc((count ? count : 1) * sizeof(Py_ssize_t));
    if (kept == NULL || lengths == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t nlengths = 0, nkept = 0;
    for (Py_ssize_t j = 0; j < count; j++) {
        Py_ssize_t g = 0;
        while (g < nlengths && lengths[g] != rivals[j].length)
            g++;
        if (g == nlengths)
            lengths[nlengths++] = rivals[j].length;
    }
    for (Py_ssize_t g = 0; g < nlengths; g++) {
        Py_ssize_t first = nkept;
        for (Py_ssize_t j = 0; j < count; j++)
            if (rivals[j].length == lengths[g])
                kept[nkept++] = rivals[j];
        if (nkept - first > beam) {
            qsort(kept + first, nkept - first, sizeof(Rival), rival_order);
            nkept = first + beam;
        }
    }
    result = PyList_New(nkept);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < nkept; j++) {
        PyObject *h;
        if (kept[j].made != NULL) {
            h = Py_NewRef(kept[j].made);
        } else {
            PyObject *b = kept[j].base;
            h = new_hypothesis(PyFloat_FromDouble(kept[j].score), Py_None, Py_False,
                               tuple_plus(FIELD(b, off_out), kept[j].ch), tuple_plus(FIELD(b, off_guessed), Py_True),
                               FIELD(b, off_slots));
        }
        if (h == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, j, h);
    }
done:
    PyMem_Free(rivals);
    PyMem_Free(kept);
    PyMem_Free(lengths);
    PyMem_Free(scores);
    if (m.cache != NULL)
        model_done(&m);
    Py_XDECREF(held);
    Py_DECREF(hyps);
    Py_DECREF(made);
    return result;
}

/* --- confidence.rivals' keep and replayed ----------------------------------------------------- */

/* Hypothesis.slot_length(k) (-1 an error). */
static int
slot_length_of(PyObject *h, Py_ssize_t k, Py_ssize_t *length)
{
    PyObject *slots = FIELD(h, off_slots);
    if (!PyTuple_Check(slots)) {
        PyErr_SetString(PyExc_TypeError, "slots must be a tuple");
        return -1;
    }
    Py_ssize_t nslots = PyTuple_GET_SIZE(slots), stop, start = 0;
    if (k < nslots) {
        stop = PyLong_AsSsize_t(PyTuple_GET_ITEM(slots, k));
        if (stop == -1 && PyErr_Occurred())
            return -1;
    } else {
        stop = PyTuple_GET_SIZE(FIELD(h, off_out));
    }
    if (k) {
        if (k - 1 >= nslots) {
            PyErr_SetString(PyExc_IndexError, "tuple index out of range");
            return -1;
        }
        start = PyLong_AsSsize_t(PyTuple_GET_ITEM(slots, k - 1));
        if (start == -1 && PyErr_Occurred())
            return -1;
    }
    *length = stop - start;
    return 0;
}

/* kept_by_length(hyps, k, beam, end) -> list[Hypothesis] | None
 *
 * confidence.Confidence.rivals' ``keep``: the hypotheses grouped by ``h.slot_length(k)`` (groups in
 * order of first appearance), ``hypothesis.prune(group, beam)`` of each (stable), concatenated;
 * each kept one's slot ended (``ended_slot``) if ``end``. None when a score is not a float or is NaN.
 */
static PyObject *
kept_by_length(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("kept_by_length", nargs, 4) < 0)
        return NULL;
    Py_ssize_t k = PyLong_AsSsize_t(args[1]);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t beam = PyLong_AsSsize_t(args[2]);
    if (beam == -1 && PyErr_Occurred())
        return NULL;
    int end = PyObject_IsTrue(args[3]);
    if (end < 0)
        return NULL;
    if (k < 0 || beam < 0) {
        PyErr_SetString(PyExc_ValueError, "k and beam must not be negative");
        return NULL;
    }
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL)
        return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    PyObject *result = NULL;
    Rival *entries = PyMem_Malloc((count ? count : 1) * sizeof(Rival));
    Rival *kept = PyMem_Malloc((count ? count : 1) * sizeof(Rival));
    Py_ssize_t *lengths = PyMem_Malloc((count ? count : 1) * sizeof(Py_ssize_t));
    if (entries == NULL || kept == NULL || lengths == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t nlengths = 0, nkept = 0;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *h = items[j];
        if (check_hypothesis(h) < 0)
            goto done;
        PyObject *score = FIELD(h, off_score);
        if (!PyFloat_CheckExact(score) || isnan(PyFloat_AS_DOUBLE(score))) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        Py_ssize_t length;
        if (slot_length_of(h, k, &length) < 0)
            goto done;
        Rival r = {PyFloat_AS_DOUBLE(score), j, length, h, NULL, NULL};
        entries[j] = r;
        Py_ssize_t g = 0;
        while (g < nlengths && lengths[g] != length)
            g++;
        if (g == nlengths)
            lengths[nlengths++] = length;
    }
    for (Py_ssize_t g = 0; g < nlengths; g++) {
        Py_ssize_t first = nkept;
        for (Py_ssize_t j = 0; j < count; j++)
            if (entries[j].length == lengths[g])
                kept[nkept++] = entries[j];
        if (nkept - first > beam) {
            qsort(kept + first, nkept - first, sizeof(Rival), rival_order);
            nkept = first + beam;
        }
    }
    result = PyList_New(nkept);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < nkept; j++) {
        PyObject *h = end ? ended_slot(kept[j].made) : Py_NewRef(kept[j].made);
        if (h == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, j, h);
    }
done:
    PyMem_Free(entries);
    PyMem_Free(kept);
    PyMem_Free(lengths);
    Py_DECREF(hyps);
    return result;
}

/* replayed(hyps, reading, levels, left, model, gap_cost) -> list[Hypothesis]
 *
 * confidence.Confidence.replayed_py: every hypothesis followed by the characters of ``reading``
 * (``levels`` their guessed flags) emitted one by one, all but the last with ``extra=-gap_cost``.
 */
static PyObject *
replayed(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("replayed", nargs, 6) < 0)
        return NULL;
    PyObject *left = args[3];
    double gap_cost = PyFloat_AsDouble(args[5]);
    if (gap_cost == -1.0 && PyErr_Occurred())
        return NULL;
    if (!PyUnicode_Check(left)) {
        PyErr_SetString(PyExc_TypeError, "left must be str");
        return NULL;
    }
    PyObject *reading = PySequence_Fast(args[1], "reading must be a sequence");
    if (reading == NULL)
        return NULL;
    PyObject *levels = PySequence_Fast(args[2], "levels must be a sequence");
    if (levels == NULL) {
        Py_DECREF(reading);
        return NULL;
    }
    PyObject *hyps = PySequence_Fast(args[0], "hyps must be a sequence");
    if (hyps == NULL) {
        Py_DECREF(reading);
        Py_DECREF(levels);
        return NULL;
    }
    Py_ssize_t nreading = PySequence_Fast_GET_SIZE(reading), nlevels = PySequence_Fast_GET_SIZE(levels);
    Py_ssize_t steps = nreading < nlevels ? nreading : nlevels;  /* zip */
    Py_ssize_t count = PySequence_Fast_GET_SIZE(hyps);
    PyObject **items = PySequence_Fast_ITEMS(hyps);
    Model m = {NULL, NULL, NULL};
    PyObject *result = NULL;
    if (model_of(args[4], &m) < 0)
        goto done;
    result = PyList_New(count);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *h = Py_NewRef(items[j]);
        for (Py_ssize_t n = 0; n < steps; n++) {
            if (check_hypothesis(h) < 0) {
                Py_DECREF(h);
                Py_CLEAR(result);
                goto done;
            }
            double extra = n < nreading - 1 ? -gap_cost : 0.0;
            PyObject *next = emit_one(h, PySequence_Fast_GET_ITEM(reading, n), PySequence_Fast_GET_ITEM(levels, n),
                                      left, &m, extra, Py_None, Py_False);
            Py_DECREF(h);
            if (next == NULL) {
                Py_CLEAR(result);
                goto done;
            }
            h = next;
        }
        PyList_SET_ITEM(result, j, h);
    }
done:
    if (m.cache != NULL)
        model_done(&m);
    Py_DECREF(hyps);
    Py_DECREF(reading);
    Py_DECREF(levels);
    return result;
}

static PyMethodDef methods[] = {
    {"kept_by_length", (PyCFunction)(void (*)(void))kept_by_length, METH_FASTCALL,
     "kept_by_length(hyps, k, beam, end) -> list[Hypothesis] | None"},
    {"replayed", (PyCFunction)(void (*)(void))replayed, METH_FASTCALL,
     "replayed(hyps, reading, levels, left, model, gap_cost) -> list[Hypothesis]"},
    {"closing_rivals", (PyCFunction)(void (*)(void))closing_rivals, METH_FASTCALL,
     "closing_rivals(made, hyps, k, reading, left, model, chars_after, beam) -> list[Hypothesis] | None"},
    {"with_lead_priors", (PyCFunction)(void (*)(void))with_lead_priors, METH_FASTCALL,
     "with_lead_priors(hyps, weights, weight_of) -> list[Hypothesis]"},
    {"finishable", (PyCFunction)(void (*)(void))finishable, METH_FASTCALL,
     "finishable(hyps, dictionary, pinned) -> list[Hypothesis]"},
    {"finish_scored", (PyCFunction)(void (*)(void))finish_scored, METH_FASTCALL,
     "finish_scored(hyps, left, right, full_right, model, quote_before, quote_after) -> list | None"},
    {"configure_quotes", configure_quotes, METH_VARARGS, "configure_quotes(quote_cost, short_quote, short_quote_cost)"},
    {"ended_pruned", (PyCFunction)(void (*)(void))ended_pruned, METH_FASTCALL,
     "ended_pruned(hyps, width) -> list[Hypothesis] | None"},
    {"gap_seeds", (PyCFunction)(void (*)(void))gap_seeds, METH_FASTCALL,
     "gap_seeds(hyps, left, model, candidates_of, keep, extra) -> list[tuple[Hypothesis, trails]]"},
    {"interior_heads", (PyCFunction)(void (*)(void))interior_heads, METH_FASTCALL,
     "interior_heads(bases, model, ranking_of, keep) -> list[tuple[float, int, int, str]]"},
    {"best_chains", (PyCFunction)(void (*)(void))best_chains, METH_FASTCALL,
     "best_chains(bases, lead, left, model, chain_ends, keep, guessed) -> list[Hypothesis]"},
    {"rank_head", (PyCFunction)(void (*)(void))rank_head, METH_FASTCALL,
     "rank_head(values, special, keys, chars, want, margin) -> list[tuple[float, int, str]] | None"},
    {"configure_hypothesis", configure_hypothesis, METH_O, "configure_hypothesis(cls)"},
    {"emit", (PyCFunction)(void (*)(void))emit, METH_FASTCALL,
     "emit(h, char, guessed, left, model, extra, pending, pending_guessed) -> Hypothesis"},
    {"push", (PyCFunction)(void (*)(void))push, METH_FASTCALL,
     "push(hyps, byte, guessed, left, model, chars) -> list[Hypothesis]"},
    {"configure", configure, METH_VARARGS, "configure(char_bonus, fourgram_bonus, odd_punctuation_cost)"},
    {"follower_scores", (PyCFunction)(void (*)(void))follower_scores, METH_FASTCALL,
     "follower_scores(base, history, chars, cache, fourgrams, extra) -> list[float] | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_core", "The seed repair's compiled core (see core.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    odd_chars = PyUnicode_FromString("\xe3\x80\x81\xef\xbc\x8c,");  /* 、，, in UTF-8 */
    if (odd_chars == NULL)
        return NULL;
    return PyModule_Create(&module);
}
