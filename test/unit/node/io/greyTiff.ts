/**
 * A minimal baseline TIFF writer for 16-bit grey images, signed (SampleFormat 2, e.g. CT in Hounsfield units) or
 * unsigned, with one or more pages (one IFD and one uncompressed strip per page, little endian). sharp cannot
 * write either: it casts to 8 bits and writes one page.
 */
export function greyTiff16(
  width: number,
  height: number,
  pages: readonly (Int16Array | Uint16Array)[],
): Uint8Array {
  const nTags = 10;
  const ifdSize = 2 + nTags * 12 + 4;
  const pageBytes = width * height * 2;
  const pageSize = ifdSize + pageBytes + (pageBytes % 2);
  const out = new Uint8Array(8 + pages.length * pageSize);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  pages.forEach((samples, page) => {
    if (samples.length !== width * height) throw new Error('sample count does not match the size');
    const ifd = 8 + page * pageSize;
    const data = ifd + ifdSize;
    const signed = samples instanceof Int16Array;
    // [tag, type (3 SHORT, 4 LONG), value]
    const tags: [number, number, number][] = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 16],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, data],
      [277, 3, 1],
      [278, 4, height],
      [279, 4, pageBytes],
      [339, 3, signed ? 2 : 1],
    ];
    v.setUint16(ifd, nTags, true);
    tags.forEach(([tag, type, value], i) => {
      const p = ifd + 2 + i * 12;
      v.setUint16(p, tag, true);
      v.setUint16(p + 2, type, true);
      v.setUint32(p + 4, 1, true);
      if (type === 3) v.setUint16(p + 8, value, true);
      else v.setUint32(p + 8, value, true);
    });
    const next = page + 1 < pages.length ? 8 + (page + 1) * pageSize : 0;
    v.setUint32(ifd + 2 + nTags * 12, next, true);
    for (let i = 0; i < samples.length; i++) {
      if (signed) v.setInt16(data + 2 * i, samples[i], true);
      else v.setUint16(data + 2 * i, samples[i], true);
    }
  });
  return out;
}
