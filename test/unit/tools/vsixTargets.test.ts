import assert from 'node:assert/strict';
import { TARGETS, checkVsixEntries, findTarget } from '../../../tools/harness/targets';

/** A VSIX file list shaped like the real one of `target` (file names as the npm packages ship them). */
function goodEntries(name: string): string[] {
  const t = findTarget(name);
  const plat = `${t.os}-${t.cpu}`;
  const e = [
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/dist/webview.js',
    'extension/dist/cli.js',
    'extension/node_modules/sharp/package.json',
    'extension/node_modules/onnxruntime-node/package.json',
  ];
  if (t.os === 'win32') {
    e.push(`extension/node_modules/@img/sharp-${plat}/lib/sharp-${plat}-0.35.5.node`);
    e.push(`extension/node_modules/@img/sharp-${plat}/lib/libvips-42.dll`);
  } else {
    e.push(`extension/node_modules/@img/sharp-${plat}/lib/sharp-${plat}-0.35.5.node`);
    e.push(
      `extension/node_modules/@img/sharp-libvips-${plat}/lib/libvips-cpp.${t.os === 'darwin' ? '8.18.7.dylib' : 'so.8.18.7'}`,
    );
  }
  if (t.ortDir) {
    const dir = `extension/node_modules/onnxruntime-node/bin/napi-v6/${t.ortDir}`;
    e.push(`${dir}/onnxruntime_binding.node`);
    e.push(
      t.os === 'win32'
        ? `${dir}/onnxruntime.dll`
        : t.os === 'darwin'
          ? `${dir}/libonnxruntime.1.30.0.dylib`
          : `${dir}/libonnxruntime.so.1`,
    );
  }
  return e;
}

describe('tools: platform VSIX contents', () => {
  it('ships six targets: Windows, macOS and Linux on x64 and arm64', () => {
    assert.deepEqual(TARGETS.map((t) => t.name).sort(), [
      'darwin-arm64',
      'darwin-x64',
      'linux-arm64',
      'linux-x64',
      'win32-arm64',
      'win32-x64',
    ]);
  });

  for (const t of TARGETS) {
    it(`${t.name}: accepts its own natives and refuses every other platform's`, () => {
      assert.deepEqual(checkVsixEntries(goodEntries(t.name), t), []);
      for (const other of TARGETS.filter((o) => o.name !== t.name)) {
        const foreign = goodEntries(other.name).filter((f) => /@img|onnxruntime-node\/bin/.test(f));
        const problems = checkVsixEntries([...goodEntries(t.name), ...foreign], t);
        assert.ok(
          problems.some((p) => p.startsWith('contains sharp binaries of other platforms')),
          `${t.name} with ${other.name}'s sharp: ${problems.join('; ')}`,
        );
        if (other.ortDir) {
          assert.ok(
            problems.some((p) => p.startsWith('contains onnxruntime binaries of other platforms')),
            `${t.name} with ${other.name}'s onnxruntime: ${problems.join('; ')}`,
          );
        }
      }
    });
  }

  it('names what is missing and what must not ship', () => {
    const t = findTarget('linux-x64');
    const problems = checkVsixEntries(
      [
        ...goodEntries('linux-x64').filter((e) => !e.includes('libonnxruntime')),
        'extension/src/extension.ts',
        'extension/test/unit/x.test.js',
      ],
      t,
    );
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('missing onnxruntime for linux/x64')));
    assert.ok(problems.some((p) => p.startsWith('contains sources')));
    assert.ok(problems.some((p) => p.startsWith('contains tests')));
    assert.ok(problems.some((p) => p.startsWith('contains TypeScript files')));
  });

  it('darwin-x64 carries no onnxruntime binary (the package has none) and requires none', () => {
    const t = findTarget('darwin-x64');
    assert.equal(t.ortDir, null);
    assert.deepEqual(checkVsixEntries(goodEntries('darwin-x64'), t), []);
  });
});
