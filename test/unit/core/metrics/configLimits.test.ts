import * as assert from 'node:assert/strict';
import { resolveMetricsConfig } from '../../../../src/core/metrics/config';

describe('core/metrics: config limits are stated in the message', () => {
  it('numClasses says its whole range, 1 to 65,536', () => {
    assert.throws(() => resolveMetricsConfig({ numClasses: 1e9 }), /numClasses.*an integer from 1 to 65,536/);
    assert.equal(resolveMetricsConfig({ numClasses: 65536 }).numClasses, 65536);
  });
});
