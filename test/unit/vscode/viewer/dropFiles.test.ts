import assert from 'node:assert/strict';
import { posix } from 'node:path';
import fc from 'fast-check';
import {
  DropPlan,
  DroppedFile,
  isInside,
  parseDroppedUri,
  planDrop,
} from '../../../../src/vscode/viewer/dropFiles';

function parsed(text: string): DroppedFile {
  const r = parseDroppedUri(text);
  assert.equal(r.ok, true, r.ok ? '' : r.error);
  return (r as { ok: true; file: DroppedFile }).file;
}

function refusedUri(text: string, pattern: RegExp): void {
  const r = parseDroppedUri(text);
  assert.equal(r.ok, false, `accepted ${text}`);
  if (!r.ok) assert.match(r.error, pattern);
}

function opened(plan: DropPlan): { paths: string[]; skipped: string[] } {
  assert.equal(plan.kind, 'open', plan.kind === 'refused' ? plan.message : '');
  const p = plan as Extract<DropPlan, { kind: 'open' }>;
  return { paths: p.files.map((f) => `${f.scheme}://${f.authority}${f.path}`), skipped: p.skipped };
}

function refusal(plan: DropPlan, pattern: RegExp): void {
  assert.equal(plan.kind, 'refused', `opened ${JSON.stringify(plan)}`);
  if (plan.kind === 'refused') assert.match(plan.message, pattern);
}

const WS = { folders: ['file:///home/u/project'] };

describe('viewer drop: parsing dropped URIs', () => {
  it('takes file: and vscode-remote: URIs apart, decoding the path', () => {
    assert.deepEqual(parsed('file:///home/u/my%20data/a.png'), {
      scheme: 'file',
      authority: '',
      path: '/home/u/my data/a.png',
    });
    assert.deepEqual(parsed('vscode-remote://SSH-Remote%2BBox/ws/b.npy'), {
      scheme: 'vscode-remote',
      authority: 'ssh-remote+box',
      path: '/ws/b.npy',
    });
    assert.deepEqual(parsed('FILE:///ws/c.png').scheme, 'file');
    // Windows drive letters compare the way VS Code writes them, lower-case.
    assert.equal(parsed('file:///C:/Data/x.png').path, '/c:/Data/x.png');
    assert.equal(parsed('file:///c%3A/Data/x.png').path, '/c:/Data/x.png');
    // UNC paths keep their server as the authority.
    assert.deepEqual(parsed('file://server/share/x.png'), {
      scheme: 'file',
      authority: 'server',
      path: '/share/x.png',
    });
  });

  it('refuses other schemes, dot segments (also encoded), controls, queries and malformed encodings', () => {
    refusedUri('javascript:alert(1)', /is not a file/);
    refusedUri('javascript://%0Aalert(1)', /is not a file/);
    refusedUri('http://example.com/a.png', /is not a file/);
    refusedUri('file:/etc/passwd', /is not a file/);
    refusedUri('file:///home/u/project/../../../etc/passwd.png', /"\." or "\.\." segments/);
    refusedUri('file:///home/u/project/%2e%2e/secret.png', /"\." or "\.\." segments/);
    refusedUri('file:///home/u/project/./a.png', /segments/);
    refusedUri('file:///home/u/a%00.png', /control characters/);
    refusedUri('file:///home/u/a\n.png', /control characters/);
    refusedUri('file:///home/u/a.png?x=1', /query or fragment/);
    refusedUri('file:///home/u/a.png#frag', /query or fragment/);
    refusedUri('file:///home/u/%zz.png', /bad percent-encoding/);
    refusedUri('file:///', /does not name a file/);
    refusedUri('file:///home/u/images/', /empty path segment/);
    refusedUri('file:///home//u/a.png', /empty path segment/);
    refusedUri('file://host', /does not name a file/);
    refusedUri('vscode-remote:///ws/a.png', /names no remote/);
    refusedUri(`file:///${'a'.repeat(5000)}`, /too long/);
  });

  it('a file is inside a folder only below it, by whole segments', () => {
    const folder = parsed('file:///home/u/project');
    assert.equal(isInside(parsed('file:///home/u/project/a.png'), folder), true);
    assert.equal(isInside(parsed('file:///home/u/project/deep/er/a.png'), folder), true);
    assert.equal(isInside(parsed('file:///home/u/project2/a.png'), folder), false);
    assert.equal(isInside(parsed('file:///home/u/projec'), folder), false);
    assert.equal(isInside(parsed('file:///home/u/project'), folder), false, 'the folder itself is no file');
    const root = planDrop({ uris: ['file:///a.png'] }, { folders: ['file:///'] });
    assert.deepEqual(
      opened(root).paths,
      ['file:///a.png'],
      'a workspace folder at the root holds every file',
    );
    const slash = planDrop(
      { uris: ['file:///home/u/project/a.png'] },
      { folders: ['file:///home/u/project/'] },
    );
    assert.equal(opened(slash).paths.length, 1, 'a folder URI with a trailing slash');
    assert.equal(isInside(parsed('file://other/home/u/project/a.png'), folder), false, 'another authority');
    assert.equal(isInside(parsed('vscode-remote://h/home/u/project/a.png'), folder), false, 'another scheme');
  });
});

describe('viewer drop: what a drop opens', () => {
  it('opens files inside the workspace, in drop order, without duplicates', () => {
    const plan = planDrop(
      {
        uris: [
          'file:///home/u/project/images/a.png',
          'file:///home/u/project/masks/a.png',
          'file:///home/u/project/images/a.png',
        ],
      },
      WS,
    );
    assert.deepEqual(opened(plan), {
      paths: ['file:///home/u/project/images/a.png', 'file:///home/u/project/masks/a.png'],
      skipped: [],
    });
  });

  it('keeps only formats SegLens reads and names the others; refuses a drop of nothing readable', () => {
    const plan = planDrop(
      {
        uris: [
          'file:///home/u/project/a.PNG',
          'file:///home/u/project/notes.txt',
          'file:///home/u/project/b.npz',
        ],
      },
      WS,
    );
    assert.deepEqual(opened(plan), {
      paths: ['file:///home/u/project/a.PNG', 'file:///home/u/project/b.npz'],
      skipped: ['notes.txt'],
    });
    refusal(
      planDrop({ uris: ['file:///home/u/project/notes.txt'] }, WS),
      /notes\.txt is not a format SegLens reads/,
    );
    refusal(
      planDrop({ uris: ['file:///home/u/project/a.txt', 'file:///home/u/project/data'] }, WS),
      /a\.txt, data are not formats/,
    );
  });

  it('refuses the whole drop when any file lies outside every workspace folder', () => {
    refusal(planDrop({ uris: ['file:///etc/passwd'] }, WS), /\/etc\/passwd is outside the workspace folders/);
    refusal(
      planDrop({ uris: ['file:///home/u/project/a.png', 'file:///home/u/project2/a.png'] }, WS),
      /project2\/a\.png is outside the workspace/,
    );
    refusal(planDrop({ uris: ['file:///home/u/project/../secrets/a.png'] }, WS), /Drop refused: .*segments/);
    // A second folder widens what is allowed.
    const two = { folders: ['file:///home/u/project', 'file:///data/set'] };
    assert.equal(opened(planDrop({ uris: ['file:///data/set/x.png'] }, two)).paths.length, 1);
  });

  it('without workspace folders any local file may be dropped', () => {
    for (const folders of [undefined, []]) {
      assert.deepEqual(opened(planDrop({ uris: ['file:///tmp/x.png'] }, { folders })).paths, [
        'file:///tmp/x.png',
      ]);
    }
  });

  it('maps the workbench’s vscode-remote URIs to the files this host sees, still checked against the folders', () => {
    assert.deepEqual(
      opened(planDrop({ uris: ['vscode-remote://ssh-remote+box/home/u/project/a.png'] }, WS)).paths,
      ['file:///home/u/project/a.png'],
    );
    refusal(planDrop({ uris: ['vscode-remote://ssh-remote+box/etc/x.png'] }, WS), /outside the workspace/);
    // A workspace of remote folders (a UI-side host) keeps the scheme and compares the authority too.
    const remoteWs = { folders: ['vscode-remote://ssh-remote+box/ws'] };
    assert.deepEqual(
      opened(planDrop({ uris: ['vscode-remote://ssh-remote+box/ws/a.png'] }, remoteWs)).paths,
      ['vscode-remote://ssh-remote+box/ws/a.png'],
    );
    refusal(planDrop({ uris: ['vscode-remote://other/ws/a.png'] }, remoteWs), /outside the workspace/);
  });

  it('refuses malformed and malicious drops with a message and opens nothing', () => {
    refusal(
      planDrop({ uris: [], refused: 'only files can be dropped, not "javascript:x"' }, WS),
      /^Drop refused: only files/,
    );
    refusal(planDrop({ uris: [] }, WS), /carried no files.*holding Shift/);
    refusal(planDrop({ uris: Array(9).fill('file:///home/u/project/a.png') }, WS), /at most 8/);
    refusal(planDrop({ uris: ['file:///home/u/project/a.png', 'javascript:alert(1)'] }, WS), /is not a file/);
    refusal(planDrop({ uris: ['http://evil.example/a.png'] }, { folders: undefined }), /is not a file/);
  });

  it('opens exactly the files a path-based check finds inside a folder (property, vs node:path)', () => {
    const segment = fc.constantFrom('a', 'b', 'ab', 'x y', 'images', 'masks', '..', '.', '');
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
    const ext = fc.constantFrom('.png', '.npy', '.txt', '');
    fc.assert(
      fc.property(path, fc.array(fc.tuple(path, ext), { minLength: 1, maxLength: 4 }), (folder, files) => {
        const uris = files.map(([p, e]) => `file://${encodeURI(p + e)}`);
        const plan = planDrop({ uris }, { folders: [`file://${encodeURI(folder)}`] });
        // The reference: a file opens only when every dropped path is normal (no ., .., empty segments other
        // than a trailing one), lies strictly below the folder, and at least one is a readable format.
        const normal = (p: string) => posix.normalize(p) === p && !p.endsWith('/') && p !== '/';
        const below = (p: string) => {
          const rel = posix.relative(posix.normalize(folder), p);
          return rel !== '' && rel !== '..' && !rel.startsWith('../') && !posix.isAbsolute(rel);
        };
        const all = files.map(([p, e]) => p + e);
        const clean = all.every((p) => normal(p) && !p.split('/').some((s) => s === '.' || s === '..'));
        // A trailing slash on the folder's URI is tolerated.
        const trimmed = folder.length > 1 ? folder.replace(/\/+$/, '') || '/' : folder;
        // A readable name has an extension after a non-empty stem (".png" alone is a hidden file).
        const readable = (p: string) => {
          const b = posix.basename(p);
          const dot = b.lastIndexOf('.');
          return dot > 0 && ['png', 'npy'].includes(b.slice(dot + 1));
        };
        const expectOpen =
          clean &&
          all.every(below) &&
          all.some(readable) &&
          // VS Code's folder URIs are normal paths; any other folder matches nothing.
          (trimmed === '/' || posix.normalize(trimmed) === trimmed);
        if (plan.kind === 'open') {
          assert.ok(expectOpen, `opened ${JSON.stringify(all)} for folder ${folder}`);
          for (const f of plan.files) assert.ok(below(f.path) && readable(f.path));
        } else if (expectOpen) {
          assert.fail(`refused ${JSON.stringify(all)} in ${folder}: ${plan.message}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
