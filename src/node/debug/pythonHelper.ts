/**
 * The Python code SegLens runs in a paused debuggee (docs/debugging.md, "What runs in your program"). It is fixed:
 * the user's expressions reach it only as data (strings inside a base64 JSON request), are compiled in `eval` mode
 * (an expression, never a statement) and evaluated in the paused frame's globals and locals — exactly what the
 * Watch view does with the same text. The helper then
 *
 * - measures every value (shape × itemsize) and refuses the whole request when the total exceeds the byte limit,
 *   before any value is converted or written (a CUDA tensor is not even copied to the host);
 * - converts NumPy arrays, PyTorch and TensorFlow tensors (and anything `numpy.asarray` takes) to C-ordered
 *   little-endian arrays and saves them with `numpy.save` into the folder the extension named — or, when that
 *   folder is not on the program's file system (a container, another host), returns the `.npy` bytes inside the
 *   reply, up to the request's `inlineBytes`;
 * - for the loss check, calls the user's function on the batch and on each image's slice `[i:i+1]`, and reports the
 *   mean of what it returns.
 *
 * The reply is one short ASCII string, `SEGLENS1:` + base64(JSON): every debugger shows a str result as its repr,
 * and base64 survives any quoting. Errors become `{"ok": false, "error": ...}` replies, never exceptions.
 */
export const PYTHON_HELPER = String.raw`
import base64 as _b64, io as _io, json as _json, math as _math, os as _os


def _reply(obj):
    return "SEGLENS1:" + _b64.b64encode(_json.dumps(obj).encode("utf-8")).decode("ascii")


def _number(x):
    x = float(x)
    if _math.isnan(x):
        return "NaN"
    if _math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _kind(v):
    mod = type(v).__module__ or ""
    for prefix, name in (("torch", "torch"), ("tensorflow", "tensorflow"), ("keras", "tensorflow"), ("jax", "jax"), ("numpy", "numpy")):
        if mod == prefix or mod.startswith(prefix + "."):
            return name
    return type(v).__name__


def _measure(v):
    """(shape, bytes) from the object's own attributes, without converting it; None when it has no shape."""
    shape = getattr(v, "shape", None)
    if shape is None:
        return None
    try:
        dims = [int(d) for d in tuple(shape)]
    except Exception:
        return None
    n = 1
    for d in dims:
        n *= d
    dtype = getattr(v, "dtype", None)
    itemsize = getattr(dtype, "itemsize", None)
    if not isinstance(itemsize, int):
        itemsize = getattr(dtype, "size", None)
    if not isinstance(itemsize, int) and hasattr(v, "element_size"):
        itemsize = int(v.element_size())
    if not isinstance(itemsize, int) or itemsize <= 0:
        itemsize = 8
    return dims, n * itemsize


def _to_numpy(np, v):
    if isinstance(v, np.ndarray):
        a = v
    elif hasattr(v, "detach") and hasattr(v, "cpu"):
        t = v.detach()
        if "bfloat16" in str(getattr(t, "dtype", "")):
            t = t.float()
        a = t.cpu().numpy()
    elif hasattr(v, "numpy") and callable(v.numpy):
        a = np.asarray(v.numpy())
    else:
        a = np.asarray(v)
    if a.dtype.kind not in "biuf":
        raise TypeError("SegLens shows numeric arrays; this value has dtype %s" % a.dtype)
    if a.dtype.kind == "f" and a.dtype.itemsize > 8:
        a = a.astype(np.float64)
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return np.ascontiguousarray(a)


def _stats(np, a):
    info = {"shape": [int(d) for d in a.shape], "dtype": str(a.dtype), "bytes": int(a.nbytes)}
    if a.size == 0:
        return info
    if a.dtype.kind == "f":
        finite = np.isfinite(a)
        info["nonFinite"] = int(a.size - np.count_nonzero(finite))
        if info["nonFinite"] < a.size:
            vals = a[finite] if info["nonFinite"] else a
            info["min"] = _number(vals.min())
            info["max"] = _number(vals.max())
        distinct = np.unique(a[:: max(1, a.size // 1000000)]) if a.size else a
    else:
        info["min"] = _number(a.min())
        info["max"] = _number(a.max())
        distinct = np.unique(a) if a.size <= 50000000 else np.unique(a[:: a.size // 1000000])
    info["distinct"] = int(min(len(distinct), 257))
    if len(distinct) <= 16:
        info["values"] = [_number(x) for x in distinct]
    return info


def _evaluate(g, l, expression):
    return eval(compile(expression, "<SegLens expression>", "eval"), g, l)


def _check_sizes(values, req):
    total = 0
    for expression, v in values:
        measured = _measure(v)
        if measured is not None:
            total += measured[1]
    limit = req["limitBytes"]
    if total > limit:
        return {"ok": False, "tooLarge": {"bytes": total, "limit": limit}, "error": "%d bytes exceed the limit of %d bytes" % (total, limit)}
    inline = req.get("inlineBytes", 0)
    if req["inline"] and total > inline:
        return {"ok": False, "noFolder": True, "error": "the folder %s is not on the debugged program's file system, and the values (%d bytes) are over the %d bytes sent in the reply" % (req["folder"], total, inline)}
    return None


def _save(np, req, index, expression, v):
    """Writes the value to the extension's folder, or (another file system) puts its .npy bytes in the reply."""
    a = _to_numpy(np, v)
    name = "value%d.npy" % index
    entry = _stats(np, a)
    entry.update({"expression": expression, "kind": _kind(v)})
    if req["inline"]:
        buf = _io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        entry.update({"file": name, "data": _b64.b64encode(buf.getvalue()).decode("ascii")})
    else:
        path = _os.path.join(req["folder"], name)
        np.save(path, a, allow_pickle=False)
        entry["file"] = path
    return entry


def _mean_of(np, out):
    a = _to_numpy(np, out)
    return {"shape": [int(d) for d in a.shape], "mean": _number(np.mean(a, dtype=np.float64)) if a.size else "NaN"}


def _view(np, g, l, req):
    values = [(e, _evaluate(g, l, e)) for e in req["expressions"]]
    refused = _check_sizes(values, req)
    if refused:
        return refused
    return {"ok": True, "values": [_save(np, req, i, e, v) for i, (e, v) in enumerate(values)]}


def _loss(np, g, l, req):
    fn = _evaluate(g, l, req["function"])
    if not callable(fn):
        return {"ok": False, "error": "%s is not callable" % req["function"]}
    pred = _evaluate(g, l, req["prediction"])
    target = _evaluate(g, l, req["target"])
    refused = _check_sizes([("prediction", pred), ("target", target)], req)
    if refused:
        return refused

    def call(p, t):
        return fn(t, p) if req["targetFirst"] else fn(p, t)

    batch = _mean_of(np, call(pred, target))
    measured = _measure(pred)
    count = measured[0][0] if measured and len(measured[0]) >= 3 else 0
    per_image = [_mean_of(np, call(pred[i : i + 1], target[i : i + 1]))["mean"] for i in range(count)]
    return {
        "ok": True,
        "batch": batch,
        "perImage": per_image,
        "prediction": _save(np, req, 0, req["prediction"], pred),
        "target": _save(np, req, 1, req["target"], target),
    }


def main(g, l, request):
    try:
        import numpy as np
    except Exception as e:
        return _reply({"ok": False, "error": "the debugged program cannot import numpy: %s" % e})
    try:
        req = _json.loads(_b64.b64decode(request).decode("utf-8"))
        if req.get("version") != 1:
            return _reply({"ok": False, "error": "unknown request version"})
        # A program on another file system (a container, another host) cannot write to the extension's folder:
        # small values then travel inside the reply.
        req["inline"] = not _os.path.isdir(req["folder"])
        if req["op"] == "view":
            return _reply(_view(np, g, l, req))
        if req["op"] == "loss":
            return _reply(_loss(np, g, l, req))
        return _reply({"ok": False, "error": "unknown request"})
    except BaseException as e:
        return _reply({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
`;
