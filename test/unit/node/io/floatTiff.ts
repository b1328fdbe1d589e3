/**
 * A minimal baseline TIFF writer for float32 images with any number of bands (one uncompressed strip, little
 * endian, chunky samples, SampleFormat 3 = IEEE float). sharp cannot write one (it casts to 8 bits), and the
 * multi-band float TIFF tests need exact, known samples.
 */
export function floatTiff(width: number, height: number, bands: number, samples: Float32Array): Uint8Array {
  if (samples.length !== width * height * bands) throw new Error('sample count does not match the size');
  const tags: [number, number, number, number[]][] = [];
  // [tag, type (3 SHORT, 4 LONG), count, values]
  const dataBytes = samples.length * 4;
  const ifdOffset = 8;
  const nTags = 11;
  const ifdSize = 2 + nTags * 12 + 4;
  const extraStart = ifdOffset + ifdSize;
  // BitsPerSample and SampleFormat need out-of-line arrays when there are more than 2 bands.
  const bitsOffset = extraStart;
  const formatOffset = bitsOffset + bands * 2;
  const dataOffset = formatOffset + bands * 2 + ((formatOffset + bands * 2) % 4 === 0 ? 0 : 2);
  const photometric = bands >= 3 ? 2 : 1;
  tags.push([256, 4, 1, [width]]);
  tags.push([257, 4, 1, [height]]);
  tags.push([258, 3, bands, new Array<number>(bands).fill(32)]);
  tags.push([259, 3, 1, [1]]);
  tags.push([262, 3, 1, [photometric]]);
  tags.push([273, 4, 1, [dataOffset]]);
  tags.push([277, 3, 1, [bands]]);
  tags.push([278, 4, 1, [height]]);
  tags.push([279, 4, 1, [dataBytes]]);
  tags.push([284, 3, 1, [1]]);
  tags.push([339, 3, bands, new Array<number>(bands).fill(3)]);
  const out = new Uint8Array(dataOffset + dataBytes);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, ifdOffset, true);
  v.setUint16(ifdOffset, nTags, true);
  tags.forEach(([tag, type, count, values], i) => {
    const p = ifdOffset + 2 + i * 12;
    v.setUint16(p, tag, true);
    v.setUint16(p + 2, type, true);
    v.setUint32(p + 4, count, true);
    const inline = (type === 3 ? 2 : 4) * count <= 4;
    if (inline) {
      values.forEach((x, j) =>
        type === 3 ? v.setUint16(p + 8 + 2 * j, x, true) : v.setUint32(p + 8, x, true),
      );
    } else {
      const at = tag === 258 ? bitsOffset : formatOffset;
      v.setUint32(p + 8, at, true);
      values.forEach((x, j) => v.setUint16(at + 2 * j, x, true));
    }
  });
  v.setUint32(ifdOffset + 2 + nTags * 12, 0, true);
  for (let i = 0; i < samples.length; i++) v.setFloat32(dataOffset + 4 * i, samples[i], true);
  return out;
}
