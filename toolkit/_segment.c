/*
 * toolkit._segment: jieba's dictionary segmentation (HMM off) in C, emitting integer codes.
 *
 * Written for this project from jieba 0.42's algorithm (jieba stays the reference; the
 * parity tests compare the two token by token). Given jieba's prefix dictionary FREQ and
 * its total, a text is cut exactly as ``jieba.Tokenizer.cut(text, HMM=False)`` cuts it:
 *
 *   1. the text splits into blocks of "han" characters (U+4E00..U+9FD5, ASCII letters and
 *      digits, + # & . _ % -) and other characters;
 *   2. a han block is cut by the maximum-probability route through the DAG of dictionary
 *      words: route[i] = max over words s[i..x] of (log(freq) - log(total)) + route[x+1],
 *      ties going to the longer word; a character that starts no word is a word of
 *      weight log(1) - log(total);
 *   3. consecutive one-character ASCII letter/digit words are joined into one token;
 *   4. outside han blocks every character is a token, except that "\r\n" is one token.
 *
 * The difference with jieba is the output: instead of one Python string per token, a call
 * returns the token codes (int32, first-seen order), their end offsets, the token count of
 * each text and the list of distinct tokens. No Python object is made per token, and the work runs with the
 * GIL released, so threads cut batches in parallel.
 *
 * API
 *   Segmenter(words: list[str], freqs: list[int], total: int)
 *       words must be prefix-closed, as jieba's FREQ is (every prefix of a word is a key,
 *       with frequency 0 when it is only a prefix).
 *   Segmenter.cut_codes(texts: list[str]) -> (codes: bytes int32, ends: bytes int32, counts: bytes int64,
 *                                            uniques: list[str])
 *       ends[i] is the end offset of token i in its text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ growable buffers */
typedef struct {
    void *data;
    size_t len, cap, item;
} vec_t;

static int vec_reserve(vec_t *v, size_t n) {
    if (n <= v->cap) return 0;
    size_t cap = v->cap ? v->cap : 1024;
    while (cap < n) cap *= 2;
    void *p = realloc(v->data, cap * v->item);
    if (!p) return -1;
    v->data = p;
    v->cap = cap;
    return 0;
}

static void vec_free(vec_t *v) {
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* ------------------------------------------------------------------ the dictionary trie */
/* Edges (parent node, character) -> child node live in one open-addressing hash table. */
typedef struct {
    int32_t parent;  /* -1: empty slot */
    uint32_t ch;
    int32_t child;
} edge_t;

typedef struct {
    PyObject_HEAD
    edge_t *edges;
    uint64_t mask;     /* table size - 1 */
    double *weight;    /* per node: log(freq) - log(total), or NAN when freq == 0 (prefix only) */
    int32_t n_nodes;
    double fallback;   /* log(1) - log(total): a character that starts no dictionary word */
    /* jieba's HMM (finalseg) for runs of single characters, states B M E S; set by set_hmm() */
    int has_hmm;
    double start[4], trans[4][4];
    uint32_t *emit_keys;   /* open addressing on the character; 0xFFFFFFFF = empty */
    double (*emit_vals)[4];
    uint64_t emit_mask;
} Segmenter;

static inline uint64_t edge_hash(int32_t parent, uint32_t ch) {
    uint64_t h = ((uint64_t)(uint32_t)parent << 32) | ch;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static inline int32_t trie_child(const Segmenter *s, int32_t parent, uint32_t ch) {
    uint64_t i = edge_hash(parent, ch) & s->mask;
    for (;;) {
        const edge_t *e = &s->edges[i];
        if (e->parent == parent && e->ch == ch) return e->child;
        if (e->parent < 0) return -1;
        i = (i + 1) & s->mask;
    }
}

static void Segmenter_dealloc(Segmenter *self) {
    free(self->edges);
    free(self->weight);
    free(self->emit_keys);
    free(self->emit_vals);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Segmenter_init(Segmenter *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"words", "freqs", "total", NULL};
    PyObject *words, *freqs;
    long long total;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOL", kwlist, &words, &freqs, &total)) return -1;
    if (!PyList_Check(words) || !PyList_Check(freqs) || PyList_GET_SIZE(words) != PyList_GET_SIZE(freqs)) {
        PyErr_SetString(PyExc_TypeError, "words and freqs must be lists of the same length");
        return -1;
    }
    if (total <= 0) {
        PyErr_SetString(PyExc_ValueError, "total must be positive");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(words);
    /* nodes: at most one per word plus the root; edges: one per non-root node */
    uint64_t size = 1024;
    while (size < (uint64_t)(n + 1) * 2) size *= 2;
    free(self->edges);
    free(self->weight);
    self->edges = malloc(size * sizeof(edge_t));
    self->weight = malloc((size_t)(n + 1) * sizeof(double));
    if (!self->edges || !self->weight) {
        PyErr_NoMemory();
        return -1;
    }
    for (uint64_t i = 0; i < size; i++) self->edges[i].parent = -1;
    self->mask = size - 1;
    self->n_nodes = 1;
    self->weight[0] = NAN;
    double logtotal = log((double)total);
    self->fallback = 0.0 - logtotal;  /* log(1) - logtotal, as jieba computes it */
    for (Py_ssize_t w = 0; w < n; w++) {
        PyObject *word = PyList_GET_ITEM(words, w);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words must be str");
            return -1;
        }
        long long freq = PyLong_AsLongLong(PyList_GET_ITEM(freqs, w));
        if (freq == -1 && PyErr_Occurred()) return -1;
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        if (len == 0) continue;
        int32_t node = 0;
        for (Py_ssize_t i = 0; i < len; i++) {
            uint32_t ch = PyUnicode_READ(kind, data, i);
            int32_t child = trie_child(self, node, ch);
            if (child < 0) {
                if ((uint64_t)self->n_nodes > (uint64_t)n) {
                    PyErr_SetString(PyExc_ValueError, "words are not prefix-closed (more nodes than words)");
                    return -1;
                }
                child = self->n_nodes++;
                self->weight[child] = NAN;
                uint64_t j = edge_hash(node, ch) & self->mask;
                while (self->edges[j].parent >= 0) j = (j + 1) & self->mask;
                self->edges[j].parent = node;
                self->edges[j].ch = ch;
                self->edges[j].child = child;
            }
            node = child;
        }
        /* exactly jieba's arithmetic: log(freq) - logtotal, the route added afterwards */
        self->weight[node] = freq > 0 ? log((double)freq) - logtotal : NAN;
    }
    return 0;
}

/* ------------------------------------------------------------------ per-call vocabulary */
typedef struct {
    uint64_t hash;
    uint32_t offset;  /* into pool */
    uint32_t len;
} entry_t;

typedef struct {
    int32_t *slots;   /* -1 empty, else index into entries */
    uint64_t mask;
    vec_t entries;    /* entry_t */
    vec_t pool;       /* uint32_t characters of every distinct token */
} vocab_t;

static int vocab_init(vocab_t *v) {
    v->mask = 4095;
    v->slots = malloc((v->mask + 1) * sizeof(int32_t));
    if (!v->slots) return -1;
    memset(v->slots, 0xff, (v->mask + 1) * sizeof(int32_t));
    v->entries = (vec_t){NULL, 0, 0, sizeof(entry_t)};
    v->pool = (vec_t){NULL, 0, 0, sizeof(uint32_t)};
    return 0;
}

static void vocab_free(vocab_t *v) {
    free(v->slots);
    vec_free(&v->entries);
    vec_free(&v->pool);
}

static inline uint64_t str_hash(const uint32_t *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a over code points */
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static int vocab_grow(vocab_t *v) {
    uint64_t size = (v->mask + 1) * 2;
    int32_t *slots = malloc(size * sizeof(int32_t));
    if (!slots) return -1;
    memset(slots, 0xff, size * sizeof(int32_t));
    entry_t *es = v->entries.data;
    for (size_t e = 0; e < v->entries.len; e++) {
        uint64_t i = es[e].hash & (size - 1);
        while (slots[i] >= 0) i = (i + 1) & (size - 1);
        slots[i] = (int32_t)e;
    }
    free(v->slots);
    v->slots = slots;
    v->mask = size - 1;
    return 0;
}

/* code of token s[0..n), added to the vocabulary when new; -1 on memory error */
static int32_t vocab_code(vocab_t *v, const uint32_t *s, size_t n) {
    uint64_t h = str_hash(s, n);
    uint64_t i = h & v->mask;
    entry_t *es = v->entries.data;
    const uint32_t *pool = v->pool.data;
    for (;;) {
        int32_t e = v->slots[i];
        if (e < 0) break;
        if (es[e].hash == h && es[e].len == n && memcmp(pool + es[e].offset, s, n * sizeof(uint32_t)) == 0) return e;
        i = (i + 1) & v->mask;
    }
    if (v->entries.len >= INT32_MAX - 1 || v->pool.len + n > UINT32_MAX) return -1;
    if (vec_reserve(&v->entries, v->entries.len + 1) || vec_reserve(&v->pool, v->pool.len + n)) return -1;
    int32_t code = (int32_t)v->entries.len;
    entry_t *ne = (entry_t *)v->entries.data + code;
    ne->hash = h;
    ne->offset = (uint32_t)v->pool.len;
    ne->len = (uint32_t)n;
    memcpy((uint32_t *)v->pool.data + v->pool.len, s, n * sizeof(uint32_t));
    v->pool.len += n;
    v->entries.len++;
    v->slots[i] = code;
    if ((v->entries.len + 1) * 2 > v->mask + 1 && vocab_grow(v)) return -1;
    return code;
}

/* ------------------------------------------------------------------ segmentation */
static inline int is_han(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FD5) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '+' || c == '#' || c == '&' || c == '.' || c == '_' ||
           c == '%' || c == '-';
}

static inline int is_eng(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

typedef struct {
    vocab_t vocab;
    vec_t codes;      /* int32_t */
    vec_t ends;       /* int32_t, end offset of each token in its text */
    const uint32_t *text;  /* the text being cut */
    vec_t prob;       /* double, route probability per position of a block (+1) */
    vec_t next;       /* int32_t, end (exclusive) of the best word from each position */
    vec_t vit;        /* double[4] per character: Viterbi probabilities (HMM) */
    vec_t back;       /* int8_t[4] per character: Viterbi back pointers */
    vec_t states;     /* int8_t per character: the best state path */
} work_t;

static inline int emit(work_t *w, const uint32_t *s, size_t n) {
    int32_t code = vocab_code(&w->vocab, s, n);
    if (code < 0 || vec_reserve(&w->codes, w->codes.len + 1) || vec_reserve(&w->ends, w->ends.len + 1)) return -1;
    ((int32_t *)w->codes.data)[w->codes.len++] = code;
    ((int32_t *)w->ends.data)[w->ends.len++] = (int32_t)(s + n - w->text);
    return 0;
}


/* ------------------------------------------------------------------ jieba's HMM (finalseg) */
enum { B = 0, M = 1, E = 2, S = 3 };
#define MIN_FLOAT (-3.14e100)
static const char STATE_LETTER[4] = {'B', 'M', 'E', 'S'};  /* ties go to the larger letter, as in Python */
static const int PREV[4][2] = {{E, S}, {M, B}, {B, M}, {S, E}};  /* PrevStatus: B<-ES, M<-MB, E<-BM, S<-SE */

static inline uint64_t char_hash(uint32_t c) {
    uint64_t h = c * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static inline const double *emit_of(const Segmenter *seg, uint32_t c) {
    uint64_t i = char_hash(c) & seg->emit_mask;
    for (;;) {
        uint32_t k = seg->emit_keys[i];
        if (k == c) return seg->emit_vals[i];
        if (k == 0xFFFFFFFFu) return NULL;
        i = (i + 1) & seg->emit_mask;
    }
}

/* seq[i] as a double; -1 with an exception set on failure */
static int item_float(PyObject *seq, Py_ssize_t i, double *out) {
    PyObject *item = PySequence_GetItem(seq, i);
    if (!item) return -1;
    *out = PyFloat_AsDouble(item);
    Py_DECREF(item);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *Segmenter_set_hmm(Segmenter *self, PyObject *args) {
    PyObject *start, *trans, *chars, *probs;
    if (!PyArg_ParseTuple(args, "OOOO", &start, &trans, &chars, &probs)) return NULL;
    if (!PyList_Check(chars) || !PyList_Check(probs) || PyList_GET_SIZE(chars) != PyList_GET_SIZE(probs)) {
        PyErr_SetString(PyExc_TypeError, "set_hmm(start[4], trans[4][4], chars: list[str], probs: list of 4 floats)");
        return NULL;
    }
    for (int a = 0; a < 4; a++) {
        if (item_float(start, a, &self->start[a])) return NULL;
        PyObject *row = PySequence_GetItem(trans, a);
        if (!row) return NULL;
        for (int b = 0; b < 4; b++) {
            if (item_float(row, b, &self->trans[a][b])) {
                Py_DECREF(row);
                return NULL;
            }
        }
        Py_DECREF(row);
    }
    Py_ssize_t n = PyList_GET_SIZE(chars);
    uint64_t size = 1024;
    while (size < (uint64_t)n * 2) size *= 2;
    free(self->emit_keys);
    free(self->emit_vals);
    self->emit_keys = malloc(size * sizeof(uint32_t));
    self->emit_vals = malloc(size * sizeof(double[4]));
    if (!self->emit_keys || !self->emit_vals) return PyErr_NoMemory();
    memset(self->emit_keys, 0xff, size * sizeof(uint32_t));
    self->emit_mask = size - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ch = PyList_GET_ITEM(chars, i);
        if (!PyUnicode_Check(ch) || PyUnicode_GET_LENGTH(ch) != 1) {
            PyErr_SetString(PyExc_TypeError, "chars must be one-character strings");
            return NULL;
        }
        uint32_t c = PyUnicode_READ_CHAR(ch, 0);
        uint64_t j = char_hash(c) & self->emit_mask;
        while (self->emit_keys[j] != 0xFFFFFFFFu && self->emit_keys[j] != c) j = (j + 1) & self->emit_mask;
        self->emit_keys[j] = c;
        PyObject *row = PyList_GET_ITEM(probs, i);
        for (int a = 0; a < 4; a++)
            if (item_float(row, a, &self->emit_vals[j][a])) return NULL;
    }
    self->has_hmm = 1;
    Py_RETURN_NONE;
}

/* finalseg.__cut: Viterbi over one run of han characters, then B..E words and S characters */
static int viterbi_cut(const Segmenter *seg, work_t *w, const uint32_t *s, size_t n) {
    if (vec_reserve(&w->vit, 4 * n) || vec_reserve(&w->back, 4 * n)) return -1;
    double (*V)[4] = w->vit.data;
    int8_t (*back)[4] = w->back.data;
    const double *em = emit_of(seg, s[0]);
    for (int y = 0; y < 4; y++) V[0][y] = seg->start[y] + (em ? em[y] : MIN_FLOAT);
    for (size_t t = 1; t < n; t++) {
        em = emit_of(seg, s[t]);
        for (int y = 0; y < 4; y++) {
            double e = em ? em[y] : MIN_FLOAT;
            int best_state = PREV[y][0];
            double best = V[t - 1][best_state] + seg->trans[best_state][y] + e;
            int other = PREV[y][1];
            double p = V[t - 1][other] + seg->trans[other][y] + e;
            if (p > best || (p == best && STATE_LETTER[other] > STATE_LETTER[best_state])) {
                best = p;
                best_state = other;
            }
            V[t][y] = best;
            back[t][y] = (int8_t)best_state;
        }
    }
    int state = V[n - 1][S] >= V[n - 1][E] ? S : E;  /* max((V[E], 'E'), (V[S], 'S')) */
    if (vec_reserve(&w->states, n)) return -1;  /* the best path, walked back from the last state */
    int8_t *states = w->states.data;
    states[n - 1] = (int8_t)state;
    for (size_t t = n - 1; t > 0; t--) states[t - 1] = back[t][states[t]];
    size_t begin = 0, nexti = 0;
    for (size_t i = 0; i < n; i++) {
        if (states[i] == B) {
            begin = i;
        } else if (states[i] == E) {
            if (emit(w, s + begin, i + 1 - begin)) return -1;
            nexti = i + 1;
        } else if (states[i] == S) {
            if (emit(w, s + i, 1)) return -1;
            nexti = i + 1;
        }
    }
    if (nexti < n && emit(w, s + nexti, n - nexti)) return -1;
    return 0;
}

static inline int is_fs_han(uint32_t c) { return c >= 0x4E00 && c <= 0x9FD5; }
static inline int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* finalseg.cut(buf): han runs by Viterbi; between them, ASCII runs ([a-zA-Z0-9]+(\.\d+)?%?) and the
   pieces between those, each as one token */
static int finalseg_cut(const Segmenter *seg, work_t *w, const uint32_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        if (is_fs_han(s[i])) {
            while (j < n && is_fs_han(s[j])) j++;
            if (viterbi_cut(seg, w, s + i, j - i)) return -1;
            i = j;
            continue;
        }
        while (j < n && !is_fs_han(s[j])) j++;
        size_t pos = i;
        while (pos < j) {
            size_t k = pos;
            while (k < j && !is_eng(s[k])) k++;
            if (k > pos && emit(w, s + pos, k - pos)) return -1;
            if (k == j) break;
            size_t m = k;
            while (m < j && is_eng(s[m])) m++;
            if (m + 1 < j && s[m] == '.' && is_digit(s[m + 1])) {
                m += 2;
                while (m < j && is_digit(s[m])) m++;
            }
            if (m < j && s[m] == '%') m++;
            if (emit(w, s + k, m - k)) return -1;
            pos = m;
        }
        i = j;
    }
    return 0;
}

static int is_word(const Segmenter *seg, const uint32_t *s, size_t n) {
    int32_t node = 0;
    for (size_t i = 0; i < n && node >= 0; i++) node = trie_child(seg, node, s[i]);
    return node > 0 && !isnan(seg->weight[node]);
}

/* a run of single-character words in __cut_DAG: one character as is; a dictionary word (freq > 0)
   character by character; anything else through the HMM */
static int flush_buf(const Segmenter *seg, work_t *w, const uint32_t *s, size_t n) {
    if (n == 0) return 0;
    if (n == 1) return emit(w, s, 1);
    if (!is_word(seg, s, n)) return finalseg_cut(seg, w, s, n);
    for (size_t i = 0; i < n; i++)
        if (emit(w, s + i, 1)) return -1;
    return 0;
}

/* cut one han block s[0..n) the way jieba's __cut_DAG_NO_HMM (hmm = 0) or __cut_DAG (hmm = 1) does */
static int cut_block(const Segmenter *seg, work_t *w, const uint32_t *s, size_t n, int hmm) {
    if (vec_reserve(&w->prob, n + 1) || vec_reserve(&w->next, n + 1)) return -1;
    double *prob = w->prob.data;
    int32_t *next = w->next.data;
    prob[n] = 0.0;
    for (size_t k = n; k-- > 0;) {
        double best = 0.0;
        int32_t best_end = -1;
        int32_t node = 0;
        for (size_t i = k; i < n; i++) {
            node = trie_child(seg, node, s[i]);
            if (node < 0) break;
            double wt = seg->weight[node];
            if (!isnan(wt)) {
                double p = wt + prob[i + 1];
                if (best_end < 0 || p >= best) {  /* ascending ends: ties go to the longer word */
                    best = p;
                    best_end = (int32_t)(i + 1);
                }
            }
        }
        if (best_end < 0) {
            best = seg->fallback + prob[k + 1];
            best_end = (int32_t)(k + 1);
        }
        prob[k] = best;
        next[k] = best_end;
    }
    size_t x = 0, buf = 0, buf_len = 0;
    if (hmm) {
        while (x < n) {
            size_t y = (size_t)next[x];
            if (y - x == 1) {
                if (buf_len == 0) buf = x;
                buf_len++;
            } else {
                if (flush_buf(seg, w, s + buf, buf_len)) return -1;
                buf_len = 0;
                if (emit(w, s + x, y - x)) return -1;
            }
            x = y;
        }
        return flush_buf(seg, w, s + buf, buf_len);
    }
    while (x < n) {
        size_t y = (size_t)next[x];
        if (y - x == 1 && is_eng(s[x])) {
            if (buf_len == 0) buf = x;
            buf_len++;
        } else {
            if (buf_len && emit(w, s + buf, buf_len)) return -1;
            buf_len = 0;
            if (emit(w, s + x, y - x)) return -1;
        }
        x = y;
    }
    if (buf_len && emit(w, s + buf, buf_len)) return -1;
    return 0;
}

static int cut_text(const Segmenter *seg, work_t *w, const uint32_t *s, size_t n, int hmm) {
    size_t i = 0;
    w->text = s;
    while (i < n) {
        if (is_han(s[i])) {
            size_t j = i;
            while (j < n && is_han(s[j])) j++;
            if (cut_block(seg, w, s + i, j - i, hmm)) return -1;
            i = j;
        } else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
            if (emit(w, s + i, 2)) return -1;
            i += 2;
        } else {
            if (emit(w, s + i, 1)) return -1;
            i++;
        }
    }
    return 0;
}

static PyObject *Segmenter_cut_codes(Segmenter *self, PyObject *args) {
    PyObject *arg;
    int hmm = 0;
    if (!PyArg_ParseTuple(args, "O|p", &arg, &hmm)) return NULL;
    if (hmm && !self->has_hmm) {
        PyErr_SetString(PyExc_ValueError, "hmm=True needs the model: call set_hmm() first");
        return NULL;
    }
    PyObject *texts = PySequence_Tuple(arg);  /* holds the strings while the GIL is released */
    if (!texts) return NULL;
    Py_ssize_t m = PyTuple_GET_SIZE(texts);
    for (Py_ssize_t t = 0; t < m; t++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(texts, t))) {
            Py_DECREF(texts);
            return PyErr_Format(PyExc_TypeError, "texts[%zd] is not a str", t);
        }
    }
    int64_t *counts = malloc((size_t)(m ? m : 1) * sizeof(int64_t));
    work_t w = {.codes = {NULL, 0, 0, sizeof(int32_t)},
                .ends = {NULL, 0, 0, sizeof(int32_t)},
                .prob = {NULL, 0, 0, sizeof(double)},
                .next = {NULL, 0, 0, sizeof(int32_t)},
                .vit = {NULL, 0, 0, sizeof(double)},
                .back = {NULL, 0, 0, sizeof(int8_t)},
                .states = {NULL, 0, 0, sizeof(int8_t)}};
    vec_t chars = {NULL, 0, 0, sizeof(uint32_t)};
    int failed = !counts || vocab_init(&w.vocab);
    if (!failed) {
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t t = 0; t < m && !failed; t++) {
            PyObject *text = PyTuple_GET_ITEM(texts, t);
            int kind = PyUnicode_KIND(text);
            const void *data = PyUnicode_DATA(text);
            size_t n = (size_t)PyUnicode_GET_LENGTH(text);
            if (n > INT32_MAX || vec_reserve(&chars, n + 1)) {  /* offsets are int32 */
                failed = 1;
                break;
            }
            uint32_t *s = chars.data;
            for (size_t i = 0; i < n; i++) s[i] = PyUnicode_READ(kind, data, i);
            size_t before = w.codes.len;
            failed = cut_text(self, &w, s, n, hmm) != 0;
            counts[t] = (int64_t)(w.codes.len - before);
        }
        Py_END_ALLOW_THREADS
    }
    PyObject *result = NULL;
    if (failed) {
        PyErr_NoMemory();
    } else {
        size_t nu = w.vocab.entries.len;
        PyObject *uniques = PyList_New((Py_ssize_t)nu);
        entry_t *es = w.vocab.entries.data;
        for (size_t e = 0; uniques && e < nu; e++) {
            PyObject *u = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, (uint32_t *)w.vocab.pool.data + es[e].offset,
                                                    (Py_ssize_t)es[e].len);
            if (!u) {
                Py_CLEAR(uniques);
                break;
            }
            PyList_SET_ITEM(uniques, (Py_ssize_t)e, u);
        }
        if (uniques) {
            /* y# turns a NULL pointer into None: give empty buffers a valid pointer */
            const char *codes = w.codes.len ? (const char *)w.codes.data : "";
            const char *ends = w.ends.len ? (const char *)w.ends.data : "";
            result = Py_BuildValue("(y#y#y#N)", codes, (Py_ssize_t)(w.codes.len * sizeof(int32_t)),
                                   ends, (Py_ssize_t)(w.ends.len * sizeof(int32_t)),
                                   (const char *)counts, (Py_ssize_t)(m * sizeof(int64_t)), uniques);
        }
    }
    free(counts);
    free(chars.data);
    vocab_free(&w.vocab);
    vec_free(&w.codes);
    vec_free(&w.ends);
    vec_free(&w.prob);
    vec_free(&w.next);
    vec_free(&w.vit);
    vec_free(&w.back);
    vec_free(&w.states);
    Py_DECREF(texts);
    return result;
}

static PyObject *Segmenter_node_count(Segmenter *self, void *closure) {
    return PyLong_FromLong(self->n_nodes);
}

static PyMethodDef Segmenter_methods[] = {
    {"set_hmm", (PyCFunction)Segmenter_set_hmm, METH_VARARGS,
     "set_hmm(start, trans, chars, probs): jieba's finalseg model, states B M E S (start[4], trans[4][4],\n"
     "emission probabilities per character; missing entries are -3.14e100 as in jieba)."},
    {"cut_codes", (PyCFunction)Segmenter_cut_codes, METH_VARARGS,
     "cut_codes(texts, hmm=False) -> (codes: bytes of int32, ends: bytes of int32, counts: bytes of int64, uniques: list[str])\n\n"
     "Cut every text as jieba.Tokenizer.cut(text, HMM=hmm) does. codes[i] indexes uniques\n"
     "(first-seen order), ends[i] is the token's end offset in its text; counts[t] is the number\n"
     "of tokens of texts[t]. Runs without the GIL."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Segmenter_getset[] = {
    {"node_count", (getter)Segmenter_node_count, NULL, "nodes of the dictionary trie (root included)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject SegmenterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "toolkit._segment.Segmenter",
    .tp_basicsize = sizeof(Segmenter),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Segmenter(words, freqs, total): jieba's HMM-off segmentation over a prefix-closed dictionary.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Segmenter_init,
    .tp_dealloc = (destructor)Segmenter_dealloc,
    .tp_methods = Segmenter_methods,
    .tp_getset = Segmenter_getset,
};

static struct PyModuleDef segment_module = {
    PyModuleDef_HEAD_INIT, "toolkit._segment",
    "jieba's dictionary segmentation (HMM off) in C, emitting integer token codes.", -1, NULL,
};

PyMODINIT_FUNC PyInit__segment(void) {
    if (PyType_Ready(&SegmenterType) < 0) return NULL;
    PyObject *m = PyModule_Create(&segment_module);
    if (!m) return NULL;
    Py_INCREF(&SegmenterType);
    if (PyModule_AddObject(m, "Segmenter", (PyObject *)&SegmenterType) < 0) {
        Py_DECREF(&SegmenterType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
