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
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "probability_row takes 11 arguments");
        return NULL;
    }
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

static PyMethodDef methods[] = {
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
