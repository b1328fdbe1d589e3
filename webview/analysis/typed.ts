/**
 * Typed arrays as they arrive from the host. The webview message channel carries ArrayBuffers as binary; a typed
 * array may arrive as itself, as its buffer, or (older hosts) as a plain object of indices, so each is normalised to
 * the typed array the analysis code expects.
 */
type Ctor<T> = {
  new (buffer: ArrayBuffer): T;
  from(values: ArrayLike<number>): T;
  BYTES_PER_ELEMENT: number;
};

export function typed<T extends ArrayBufferView>(x: unknown, ctor: Ctor<T>): T {
  if (x instanceof (ctor as unknown as { new (): T })) return x as T;
  if (x instanceof ArrayBuffer) return new ctor(x);
  if (ArrayBuffer.isView(x)) {
    const v = x as ArrayBufferView;
    const copy = v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
    return new ctor(copy);
  }
  if (x && typeof x === 'object') {
    const o = x as Record<string, number>;
    const n = Object.keys(o).length;
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = o[String(i)];
    return ctor.from(values);
  }
  return ctor.from([]);
}

/** A label array: 8-bit when its bytes say so, else 16-bit. */
export function labelsOf(x: unknown, n: number): Uint8Array | Uint16Array {
  const bytes = x instanceof ArrayBuffer ? x.byteLength : ArrayBuffer.isView(x) ? x.byteLength : n;
  return bytes === n * 2 ? typed(x, Uint16Array) : typed(x, Uint8Array);
}
