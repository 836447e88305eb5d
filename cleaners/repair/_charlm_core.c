/* The character model's compiled row (issue 14): CharModel.probabilities' arithmetic in one loop.
 *
 * probability_row computes, element by element, what charlm.probability_row_py computes with numpy
 * (its reference, compared bit for bit in tests/test_mojibake_model.py): the same float64
 * operations in the same order (built with -ffp-contract=off, no -ffast-math), so the search ranks
 * the same characters the same way. Where this module is not built, the numpy form runs
 * (charlm.COMPILED_ROW says which).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* A count of ``counts`` (a dict of str -> int), as a float; 0.0 where the key is missing. */
static int
count_of(PyObject *counts, PyObject *key, double *value)
{
    PyObject *found = PyDict_GetItemWithError(counts, key);  /* borrowed */
    if (found == NULL) {
        if (PyErr_Occurred())
            return -1;
        *value = 0.0;
        return 0;
    }
    *value = PyFloat_AsDouble(found);  /* an int: exact below 2**53, as numpy's conversion */
    if (*value == -1.0 && PyErr_Occurred())
        return -1;
    return 0;
}

static int
double_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t n, int writable)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (view->itemsize != sizeof(double) || view->format == NULL || strcmp(view->format, "d") != 0
        || view->len != n * (Py_ssize_t)sizeof(double)) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "expected a contiguous float64 array of the candidates' length");
        return -1;
    }
    return 0;
}

/* 0 when a fast-call function ``name`` got ``expected`` arguments, else -1 with a TypeError set. */
static int
check_nargs(const char *name, Py_ssize_t nargs, Py_ssize_t expected)
{
    if (nargs == expected)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s takes %zd arguments", name, expected);
    return -1;
}

/* probability_row(out, start, share, script, simples, chars, bg_counts, ending, inside, doc_counts, n)
 *
 * out[i] = max(p_i, 1e-8) where (as charlm.probability_row_py):
 *   b = start[i]                                       if bg_counts is None (no context)
 *   b = ending * start[i]                              if inside == 0
 *   b = ending * start[i] + (1 - ending) * B[i] / inside  otherwise, B[i] = bg_counts.get(simples[i], 0)
 *   p = b * share[i] * script[i]
 *   p = (D[i] + 20.0 * p) / (n + 20.0)                 if n, D[i] = doc_counts.get(chars[i], 0)
 */
static PyObject *
probability_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("probability_row", nargs, 11) < 0)
        return NULL;
    PyObject *simples = args[4], *chars = args[5], *bg_counts = args[6], *doc_counts = args[9];
    if (!PyTuple_Check(chars) || !PyList_Check(simples) || PyList_GET_SIZE(simples) != PyTuple_GET_SIZE(chars)) {
        PyErr_SetString(PyExc_TypeError, "chars must be a tuple and simples a list of its length");
        return NULL;
    }
    if ((bg_counts != Py_None && !PyDict_Check(bg_counts)) || (doc_counts != Py_None && !PyDict_Check(doc_counts))) {
        PyErr_SetString(PyExc_TypeError, "the counts must be dicts or None");
        return NULL;
    }
    double ending = PyFloat_AsDouble(args[7]);
    if (ending == -1.0 && PyErr_Occurred())
        return NULL;
    double inside = PyFloat_AsDouble(args[8]);  /* an int: numpy divides by it as a float64 */
    if (inside == -1.0 && PyErr_Occurred())
        return NULL;
    double n = PyFloat_AsDouble(args[10]);
    if (n == -1.0 && PyErr_Occurred())
        return NULL;
    Py_ssize_t size = PyTuple_GET_SIZE(chars);
    Py_buffer views[4];
    int got = 0;
    for (; got < 4; got++)
        if (double_buffer(args[got], &views[got], size, got == 0) < 0)
            goto fail;
    double *out = views[0].buf, *start = views[1].buf, *share = views[2].buf, *script = views[3].buf;
    double mix = n + 20.0;  /* DOC_PRIOR */
    for (Py_ssize_t i = 0; i < size; i++) {
        double b;
        if (bg_counts == Py_None) {
            b = start[i];
        } else {
            b = ending * start[i];
            if (inside > 0) {
                double count;
                if (count_of(bg_counts, PyList_GET_ITEM(simples, i), &count) < 0)
                    goto fail;
                b = b + ((1 - ending) * count) / inside;
            }
        }
        double p = b * share[i] * script[i];
        if (n != 0) {
            double count;
            if (count_of(doc_counts, PyTuple_GET_ITEM(chars, i), &count) < 0)
                goto fail;
            p = (count + 20.0 * p) / mix;
        }
        out[i] = p > 1e-8 ? p : 1e-8;  /* np.maximum(p, FLOOR): p is never NaN */
    }
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&views[k]);
    Py_RETURN_NONE;
fail:
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&views[k]);
    return NULL;
}

/* --- CharModel.logps ---------------------------------------------------------------------------- */

static double ascii_logp, paired_p, other_pair_p, doc_prior, floor_p;
static PyObject *punctuation_share, *punctuation_pairs;  /* a dict and a frozenset (charlm's) */

/* configure(ascii_logp, paired, other_pair, doc_prior, floor, punctuation_share, punctuation_pairs) */
static PyObject *
configure(PyObject *self, PyObject *args)
{
    PyObject *share, *pairs;
    if (!PyArg_ParseTuple(args, "dddddOO", &ascii_logp, &paired_p, &other_pair_p, &doc_prior, &floor_p, &share, &pairs))
        return NULL;
    Py_INCREF(share);
    Py_XSETREF(punctuation_share, share);
    Py_INCREF(pairs);
    Py_XSETREF(punctuation_pairs, pairs);
    Py_RETURN_NONE;
}

/* A float or an int of a tuple or a dict, as a double (-1 and an error set on failure). */
static int
as_double(PyObject *obj, double *value)
{
    *value = PyFloat_AsDouble(obj);
    return (*value == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* log P(ch | prev) as CharModel.logps_py works out a missing one; ``ctx`` is context_of(prev). */
static int
logp_of(PyObject *ch, PyObject *key, PyObject *fact, PyObject *ctx, int prev_mark, double *value)
{
    if (!PyTuple_Check(fact) || PyTuple_GET_SIZE(fact) != 6) {
        PyErr_SetString(PyExc_TypeError, "a character's facts must be a 6-tuple");
        return -1;
    }
    int ascii = PyObject_IsTrue(PyTuple_GET_ITEM(fact, 0));
    if (ascii < 0)
        return -1;
    if (ascii) {
        *value = ascii_logp;
        return 0;
    }
    int mark = PyObject_IsTrue(PyTuple_GET_ITEM(fact, 1));
    if (mark < 0)
        return -1;
    PyObject *simple = PyTuple_GET_ITEM(fact, 2);
    double share, start, script, p;
    if (as_double(PyTuple_GET_ITEM(fact, 3), &share) < 0 || as_double(PyTuple_GET_ITEM(fact, 4), &start) < 0
        || as_double(PyTuple_GET_ITEM(fact, 5), &script) < 0)
        return -1;
    PyObject *context = PyTuple_GET_ITEM(ctx, 0), *doc_followers = PyTuple_GET_ITEM(ctx, 2);
    PyObject *prev_followers = PyTuple_GET_ITEM(ctx, 3);
    double n;
    if (as_double(PyTuple_GET_ITEM(ctx, 1), &n) < 0)
        return -1;
    int paired = 0, special = 0;
    if (mark) {
        paired = PySequence_Contains(punctuation_pairs, key);
        if (paired < 0)
            return -1;
        if (paired) {
            special = 1;
        } else if (prev_mark) {
            special = PySequence_Contains(punctuation_share, ch);
            if (special < 0)
                return -1;
        }
    }
    if (special) {
        p = paired ? paired_p : other_pair_p;
    } else {
        double b;
        if (context == Py_None) {
            b = start;
        } else {
            if (!PyTuple_Check(context) || PyTuple_GET_SIZE(context) != 2) {
                PyErr_SetString(PyExc_TypeError, "a context must be (ending, inside)");
                return -1;
            }
            double ending, inside;
            if (as_double(PyTuple_GET_ITEM(context, 0), &ending) < 0 || as_double(PyTuple_GET_ITEM(context, 1), &inside) < 0)
                return -1;
            b = ending * start;
            if (inside > 0) {
                double count;
                if (count_of(prev_followers, simple, &count) < 0)
                    return -1;
                b = b + (1 - ending) * count / inside;
            }
        }
        p = b * share * script;
    }
    if (n != 0) {
        double count;
        if (count_of(doc_followers, ch, &count) < 0)
            return -1;
        p = (count + doc_prior * p) / (n + doc_prior);
    }
    *value = log(p > floor_p ? p : floor_p);  /* log(max(p, FLOOR)); math.log is the C library's log */
    return 0;
}

/* logps(model, prev, chars) -> list[float]
 *
 * CharModel.logps_py: log P(char | prev) for every character of ``chars``, from ``model.cache``
 * (key ``prev + char``) or worked out (and cached) from ``model.context_of(prev)`` and each
 * character's ``model.char_facts`` (kept in ``model.facts``).
 */
static PyObject *
logps(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_nargs("logps", nargs, 3) < 0)
        return NULL;
    if (punctuation_share == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure first");
        return NULL;
    }
    PyObject *model = args[0], *prev = args[1];
    if (!PyUnicode_Check(prev)) {
        PyErr_SetString(PyExc_TypeError, "prev must be str");
        return NULL;
    }
    PyObject *chars = PySequence_Fast(args[2], "chars must be a sequence");
    if (chars == NULL)
        return NULL;
    PyObject *cache = NULL, *facts = NULL, *ctx = NULL, *result = NULL;
    int prev_mark = -1;
    cache = PyObject_GetAttrString(model, "cache");
    if (cache == NULL)
        goto done;
    facts = PyObject_GetAttrString(model, "facts");
    if (facts == NULL)
        goto done;
    if (!PyDict_Check(cache) || !PyDict_Check(facts)) {
        PyErr_SetString(PyExc_TypeError, "model.cache and model.facts must be dicts");
        goto done;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(chars);
    PyObject **items = PySequence_Fast_ITEMS(chars);
    result = PyList_New(count);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *ch = items[k];
        PyObject *key = PyUnicode_Concat(prev, ch);
        if (key == NULL)
            goto fail;
        PyObject *value = PyDict_GetItemWithError(cache, key);  /* borrowed */
        if (value != NULL) {
            Py_DECREF(key);
            PyList_SET_ITEM(result, k, Py_NewRef(value));
            continue;
        }
        if (PyErr_Occurred()) {
            Py_DECREF(key);
            goto fail;
        }
        if (ctx == NULL) {  /* the first miss: what the probabilities read of prev */
            PyObject *contexts = PyObject_GetAttrString(model, "contexts");
            if (contexts == NULL) {
                Py_DECREF(key);
                goto fail;
            }
            ctx = PyDict_Check(contexts) ? Py_XNewRef(PyDict_GetItemWithError(contexts, prev)) : NULL;
            Py_DECREF(contexts);
            if (ctx == NULL && !PyErr_Occurred())
                ctx = PyObject_CallMethod(model, "context_of", "O", prev);
            if (ctx == NULL) {
                Py_DECREF(key);
                goto fail;
            }
            if (!PyTuple_Check(ctx) || PyTuple_GET_SIZE(ctx) != 4) {
                Py_DECREF(key);
                PyErr_SetString(PyExc_TypeError, "model.context_of must give a 4-tuple");
                goto fail;
            }
            prev_mark = PySequence_Contains(punctuation_share, prev);
            if (prev_mark < 0) {
                Py_DECREF(key);
                goto fail;
            }
        }
        PyObject *fact = Py_XNewRef(PyDict_GetItemWithError(facts, ch));
        if (fact == NULL && !PyErr_Occurred())
            fact = PyObject_CallMethod(model, "char_facts", "O", ch);
        if (fact == NULL) {
            Py_DECREF(key);
            goto fail;
        }
        double logp;
        int failed = logp_of(ch, key, fact, ctx, prev_mark, &logp);
        Py_DECREF(fact);
        if (failed) {
            Py_DECREF(key);
            goto fail;
        }
        PyObject *made = PyFloat_FromDouble(logp);
        if (made == NULL || PyDict_SetItem(cache, key, made) < 0) {
            Py_XDECREF(made);
            Py_DECREF(key);
            goto fail;
        }
        Py_DECREF(key);
        PyList_SET_ITEM(result, k, made);
    }
    goto done;
fail:
    Py_CLEAR(result);
done:
    Py_XDECREF(ctx);
    Py_XDECREF(cache);
    Py_XDECREF(facts);
    Py_DECREF(chars);
    return result;
}

/* fourgrams(text) -> set[str]: ``{text[i : i + 4] for i in range(len(text) - 3)}`` (DocumentModel's 4-grams;
 * charlm.fourgrams_py the reference). */
static PyObject *
fourgrams(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be str");
        return NULL;
    }
    PyObject *found = PySet_New(NULL);
    if (found == NULL)
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i + 4 <= n; i++) {
        PyObject *gram = PyUnicode_Substring(text, i, i + 4);
        if (gram == NULL || PySet_Add(found, gram) < 0) {
            Py_XDECREF(gram);
            Py_DECREF(found);
            return NULL;
        }
        Py_DECREF(gram);
    }
    return found;
}

static PyMethodDef methods[] = {
    {"fourgrams", fourgrams, METH_O, "fourgrams(text) -> set[str]"},
    {"logps", (PyCFunction)(void (*)(void))logps, METH_FASTCALL, "logps(model, prev, chars) -> list[float]"},
    {"configure", configure, METH_VARARGS,
     "configure(ascii_logp, paired, other_pair, doc_prior, floor, punctuation_share, punctuation_pairs)"},
    {"probability_row", (PyCFunction)(void (*)(void))probability_row, METH_FASTCALL,
     "probability_row(out, start, share, script, simples, chars, bg_counts, ending, inside, doc_counts, n)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_charlm_core", "CharModel.probabilities' row in C (see charlm.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__charlm_core(void)
{
    return PyModule_Create(&module);
}
