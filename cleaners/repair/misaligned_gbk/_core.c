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

static double char_bonus, fourgram_bonus, odd_cost;

static PyObject *
configure(PyObject *self, PyObject *args)
{
    if (!PyArg_ParseTuple(args, "ddd", &char_bonus, &fourgram_bonus, &odd_cost))
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
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "follower_scores takes 6 arguments");
        return NULL;
    }
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

static PyMethodDef methods[] = {
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
    return PyModule_Create(&module);
}
