// The panel's wording of the logits refusal: from the real loader's message (whatever CLI hint it carries) and from
// a neutral core message, the panel's text names no CLI flag, keeps the file and the range, and names its buttons.
import assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { writeNpy } from '../../../../src/core/io/npy';
import { loadProbMap } from '../../../../src/core/io/load';
import { isLogitsMessage, panelLogitsMessage } from '../../../../src/core/viewmodel/logitsHint';
import { probFromNpy } from '../../../../src/node/io/decodeProb';

function loaderMessage(): string {
  const bytes = writeNpy({ dtype: 'float32', shape: [1, 2, 2], data: new Float32Array([-2, 0.5, 3, 0.1]) });
  try {
    loadProbMap(bytes, { source: 'probs/x.npy', logits: 'error' });
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.message;
  }
  assert.fail('the loader accepted logits');
}

describe('analysis: logits message in the panel', () => {
  it('rewords the loader’s refusal: no CLI flags, file and range kept, the panel’s buttons named', () => {
    const raw = loaderMessage();
    assert.ok(isLogitsMessage(raw), raw);
    const shown = panelLogitsMessage(raw);
    assert.doesNotMatch(shown, /--logits|--/);
    assert.match(shown, /^probs\/x\.npy: values range over \[-2, 3\]/);
    assert.match(shown, /Convert with sigmoid .* Convert with softmax .* below\.$/);
  });

  it('keeps a neutral core message whole and adds only the panel’s hint', () => {
    const neutral =
      'probs/x.npy: values range over [-2, 3], outside [0, 1]: these look like logits; convert them with sigmoid or softmax';
    assert.equal(
      panelLogitsMessage(neutral),
      `${neutral}. Choose Convert with sigmoid (one channel per class) or Convert with softmax (channels that form one distribution) below.`,
    );
    assert.equal(
      panelLogitsMessage(
        'a: these look like logits; convert them explicitly (--logits sigmoid or --logits softmax)',
      ),
      'a: these look like logits; convert them explicitly. Choose Convert with sigmoid (one channel per class) or Convert with softmax (channels that form one distribution) below.',
    );
  });

  it('the stage’s refusal of the same map names the panel’s conversion, not the CLI flags', async () => {
    const bytes = writeNpy({ dtype: 'float32', shape: [1, 2, 2], data: new Float32Array([-2, 0.5, 3, 0.1]) });
    await assert.rejects(
      probFromNpy(bytes, { source: 'probs/x.npy', maxPixels: 100, role: 'prob' }),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.source, 'probs/x.npy');
        assert.doesNotMatch(e.message, /--/);
        assert.match(
          e.message,
          /^probs\/x\.npy: values range over \[-2, 3\].*look like logits.*analysis panel below offers Convert with sigmoid or softmax\.$/,
        );
        return true;
      },
    );
  });

  it('tells the logits refusal from other problems', () => {
    assert.equal(isLogitsMessage('probs/x.npy: the probability map contains NaN or infinite values'), false);
    assert.equal(isLogitsMessage('model logits_v2: Analysis failed: out of memory'), false);
  });
});
