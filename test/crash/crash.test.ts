/**
 * A few seeds of the crash campaign (campaign.ts) on every test run: each
 * of clone, pull, publish and a push into a server, SIGKILLed at a random
 * instant, leaves a before-or-after state that opens, searches and
 * completes on retry. `npm run crash` runs the long campaign.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign, type Calibration } from './campaign.js';

const SIZE = { changesets: 600, early: 100 };
/** Measured by the first seed, reused by the next. */
let calibration: Calibration | undefined;

describe('the crash campaign: processes killed at random instants leave whole replicas', () => {
  it.each([1, 2, 3])('seed %i', async (seed) => {
    const report = await runCampaign({ seed, trials: 4, size: SIZE, calibration });
    calibration = report.calibration;
    expect(report.results.filter((r) => r.failure)).toEqual([]);
    expect(report.results.map((r) => r.op)).toEqual(['clone', 'pull', 'publish', 'push']);
  });
});
