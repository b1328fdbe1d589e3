// The file-format table drives detection, the decode dispatch, the messages and the extension lists: a row added
// to FORMATS is detected and decoded with nothing else changed, and the lists elsewhere agree with the rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors';
import { OPENABLE_EXTENSIONS } from '../../../../src/core/dataset/roles';
import { writeNpy } from '../../../../src/core/io/npy';
import {
  FORMATS,
  FormatRow,
  decodeRaster,
  detectFormat,
  formatExtensions,
  formatList,
  formatsFor,
} from '../../../../src/node/io/load';
import type { Raster } from '../../../../src/node/io/raster';
import { repoPath } from '../../../support/repo';

const SAMPLES: Record<string, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  tiff: [0x49, 0x49, 0x2a, 0x00],
  bmp: [0x42, 0x4d, 0, 0],
  webp: [...'RIFF']
    .map((c) => c.charCodeAt(0))
    .concat(
      [0, 0, 0, 0],
      [...'WEBP'].map((c) => c.charCodeAt(0)),
    ),
  npy: [0x93, ...[...'NUMPY'].map((c) => c.charCodeAt(0)), 1, 0],
  npz: [0x50, 0x4b, 3, 4],
  // Volumes: a NIfTI-1 single-file magic at byte 344, NRRD's first line, a MetaImage key line.
  nifti: [...new Array<number>(344).fill(0), ...[...'n+1'].map((c) => c.charCodeAt(0)), 0],
  nrrd: [...'NRRD0004\n'].map((c) => c.charCodeAt(0)),
  metaimage: [...'ObjectType = Image\n'].map((c) => c.charCodeAt(0)),
};

describe('node/io: the file-format table', () => {
  it('detects every row from its signature and nothing from other bytes', () => {
    for (const row of FORMATS) {
      assert.ok(SAMPLES[row.format], `a sample signature for ${row.format}`);
      assert.equal(detectFormat(new Uint8Array(SAMPLES[row.format])), row.format);
    }
    assert.equal(detectFormat(new TextEncoder().encode('{"not": "an image"}')), undefined);
  });

  it('a row pushed onto the table is detected and decoded through its own decoder, nothing else changed', async () => {
    const table = FORMATS as unknown as FormatRow[];
    const decoded: Raster = {
      width: 1,
      height: 1,
      channels: 1,
      dtype: 'uint8',
      data: new Uint8Array([7]),
      format: 'toy',
      sourceDtype: 'uint8',
      range: { min: 7, max: 7 },
      notes: [],
    };
    const toy: FormatRow = {
      format: 'toy',
      label: 'TOY',
      extensions: ['toy'],
      magic: (b) => b[0] === 0x54 && b[1] === 0x4f && b[2] === 0x59,
      decoders: { labels: () => decoded },
    };
    const bytes = new TextEncoder().encode('TOY!');
    assert.equal(detectFormat(bytes), undefined);
    table.push(toy);
    try {
      assert.equal(detectFormat(bytes), 'toy');
      assert.equal(await decodeRaster(bytes, { source: 'x.toy', maxPixels: 10, role: 'labels' }), decoded);
      assert.ok(formatExtensions().includes('toy'));
      assert.match(formatList(), /, NPZ and TOY$/);
      // A role the row does not serve is refused by name.
      await assert.rejects(
        decodeRaster(bytes, { source: 'x.toy', maxPixels: 10, role: 'image' }),
        /TOY file as image/,
      );
    } finally {
      table.pop();
    }
    assert.equal(detectFormat(bytes), undefined);
  });

  it('refuses unknown bytes naming every format, and a prob map of a format without a prob decoder', async () => {
    await assert.rejects(
      decodeRaster(new TextEncoder().encode('hello'), { source: 'a.txt', maxPixels: 10, role: 'image' }),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        for (const row of FORMATS) assert.ok(e.message.includes(row.label), `${row.label} in ${e.message}`);
        return true;
      },
    );
    assert.deepEqual(
      formatsFor('prob').map((r) => r.format),
      ['tiff', 'npy', 'npz'],
    );
    await assert.rejects(
      decodeRaster(new Uint8Array(SAMPLES.bmp), { source: 'p.bmp', maxPixels: 10, role: 'prob' }),
      /a probability map must be a float TIFF, NPY or NPZ file, not BMP/,
    );
  });

  it('decodes a probability map through the prob row (npy)', async () => {
    const bytes = writeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array([0, 0.25, 0.5, 1]) });
    const r = await decodeRaster(bytes, { source: 'p.npy', maxPixels: 10, role: 'prob' });
    assert.equal(r.format, 'npy');
    assert.deepEqual([...r.data], [0, 0.25, 0.5, 1]);
  });

  it('the openable extensions of the pairing rules and the explorer menu are the table’s', () => {
    assert.deepEqual([...OPENABLE_EXTENSIONS].sort(), formatExtensions().sort());
    const manifest = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
      contributes: { menus: { 'explorer/context': { command: string; when: string }[] } };
    };
    const open = manifest.contributes.menus['explorer/context'].find(
      (m) => m.command === 'seglens.openInSegLens',
    );
    const listed = /\\\.\(([^)]*)\)/.exec(open?.when ?? '')?.[1]?.split('|') ?? [];
    assert.deepEqual(listed.sort(), formatExtensions().sort());
  });
});
