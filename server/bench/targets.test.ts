// Goal: the benchmark's verdict says met for each target reached and, for each missed one, by how much; a figure that was not measured is never met.
import { describe, expect, it } from 'vitest';
import { judgeTargets, type TargetInputs } from './targets';

const allMet: TargetInputs = {
  hotLabel: '2 web processes',
  hotDecidedPerSecond: 3_600,
  hotResultP99Ms: 120,
  hotNoWaitAcceptedPerSecond: 4_000,
  baselineLabel: 'pool 2',
  baselineDecidedPerSecond: 1_100,
  baselineP99Ms: 300,
  steadyRatePerSecond: 1_000,
  steadyResultP99Ms: 40,
  steadySocketP99Ms: 90,
  webPeakMegabytesMax: 350,
  auditViolations: 0,
  purchasesWithoutResult: 0,
  baselineOversold: false,
};

const verdictOf = (inputs: TargetInputs, start: string) => judgeTargets(inputs).find((verdict) => verdict.target.startsWith(start));

describe('judgeTargets', () => {
  it('meets every target of a good run', () => {
    const verdicts = judgeTargets(allMet);
    expect(verdicts).toHaveLength(10);
    expect(verdicts.filter((verdict) => !verdict.met)).toEqual([]);
    expect(verdicts.every((verdict) => verdict.verdict === 'met')).toBe(true);
    expect(verdictOf(allMet, 'hot item (2 web processes)')?.measured).toBe('3.27×');
  });

  it('says by how much a throughput target is missed', () => {
    const verdict = verdictOf({ ...allMet, hotDecidedPerSecond: 1_000 }, 'hot item, ?wait');
    expect(verdict).toEqual({ target: 'hot item, ?wait=10000: ≥ 2,500 decided/s', measured: '1,000/s', met: false, verdict: 'missed by 1,500/s (40% of the target)' });
    expect(verdictOf({ ...allMet, hotDecidedPerSecond: 1_000 }, 'hot item (')?.verdict).toBe('missed by 2.09× (30% of the target)');
  });

  it('says by how much a bound is exceeded', () => {
    expect(verdictOf({ ...allMet, steadySocketP99Ms: 250 }, 'steady 1,000/s: p99 POST→socket')?.verdict).toBe('missed by 150 ms (2.50× the bound)');
    expect(verdictOf({ ...allMet, webPeakMegabytesMax: 400 }, 'peak RSS')?.met).toBe(true);
  });

  it('needs a strictly lower p99 than the baseline', () => {
    expect(verdictOf({ ...allMet, hotResultP99Ms: 300 }, 'hot item p99')?.met).toBe(false);
    expect(verdictOf({ ...allMet, hotResultP99Ms: 299 }, 'hot item p99')?.met).toBe(true);
  });

  it('never meets a target that was not measured', () => {
    const verdicts = judgeTargets({ ...allMet, hotDecidedPerSecond: Number.NaN, steadySocketP99Ms: Number.NaN });
    expect(verdictOf({ ...allMet, steadySocketP99Ms: Number.NaN }, 'steady 1,000/s: p99 POST→socket')).toMatchObject({ met: false, verdict: 'missed: not measured' });
    expect(verdicts.filter((verdict) => !verdict.met)).toHaveLength(3);
  });

  it('fails the correctness rows on a violation, a purchase without result, or an oversold baseline', () => {
    const verdicts = judgeTargets({ ...allMet, auditViolations: 2, purchasesWithoutResult: 5, baselineOversold: true });
    expect(verdicts.filter((verdict) => !verdict.met).map((verdict) => verdict.measured)).toEqual(['2 violations', '5 without a result', 'OVERSOLD']);
  });
});
