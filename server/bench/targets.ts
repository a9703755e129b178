// Issue 9's targets and the verdict on one run: each target met, or missed and by how much.
import { formatNumber } from './statistics';

export type Verdict = { target: string; measured: string; met: boolean; verdict: string };

export type TargetInputs = {
  // The hot item with ?wait=10000 in its best web-process count (named in `hotLabel`), and without a wait.
  hotLabel: string;
  hotDecidedPerSecond: number;
  hotResultP99Ms: number;
  hotNoWaitAcceptedPerSecond: number;
  // The row-lock baseline's best pool size on the same hot-item load.
  baselineLabel: string;
  baselineDecidedPerSecond: number;
  baselineP99Ms: number;
  steadyRatePerSecond: number;
  steadyResultP99Ms: number;
  steadySocketP99Ms: number;
  webPeakMegabytesMax: number;
  auditViolations: number;
  purchasesWithoutResult: number;
  baselineOversold: boolean;
};

export const targets = {
  hotVersusBaselineMin: 3,
  hotDecidedPerSecondMin: 2_500,
  hotNoWaitAcceptedPerSecondMin: 3_000,
  steadyResultP99MsMax: 50,
  steadySocketP99MsMax: 100,
  webPeakMegabytesMax: 400,
} as const;

function share(measured: number, target: number): string {
  return `${Math.round((100 * measured) / target)}% of the target`;
}

// At least `target`: missed by the gap, and the share of the target reached.
function atLeast(target: string, measured: number, minimum: number, unit: string): Verdict {
  const met = measured >= minimum;
  return {
    target,
    measured: `${formatNumber(measured)}${unit}`,
    met,
    verdict: met ? 'met' : Number.isNaN(measured) ? 'missed: not measured' : `missed by ${formatNumber(minimum - measured)}${unit} (${share(measured, minimum)})`,
  };
}

// At most `maximum` (strictly below it when `strict`): missed by the excess, and how many times the bound.
function atMost(target: string, measured: number, maximum: number, unit: string, strict = false): Verdict {
  const met = strict ? measured < maximum : measured <= maximum;
  return {
    target,
    measured: `${formatNumber(measured)}${unit}`,
    met,
    verdict: met ? 'met' : Number.isNaN(measured) ? 'missed: not measured' : `missed by ${formatNumber(measured - maximum)}${unit} (${formatNumber(measured / maximum)}× the bound)`,
  };
}

function holds(target: string, met: boolean, measured: string): Verdict {
  return { target, measured, met, verdict: met ? 'met' : 'missed' };
}

export function judgeTargets(inputs: TargetInputs): Verdict[] {
  const ratio = inputs.hotDecidedPerSecond / inputs.baselineDecidedPerSecond;
  return [
    atLeast(`hot item (${inputs.hotLabel}) ≥ ${targets.hotVersusBaselineMin}× the best baseline (${inputs.baselineLabel}), decided/s`, ratio, targets.hotVersusBaselineMin, '×'),
    atMost(`hot item p99 below the best baseline's (${formatNumber(inputs.baselineP99Ms)} ms)`, inputs.hotResultP99Ms, inputs.baselineP99Ms, ' ms', true),
    atLeast(`hot item, ?wait=10000: ≥ ${formatNumber(targets.hotDecidedPerSecondMin)} decided/s`, inputs.hotDecidedPerSecond, targets.hotDecidedPerSecondMin, '/s'),
    atLeast(`hot item, no wait: ≥ ${formatNumber(targets.hotNoWaitAcceptedPerSecondMin)} accepted/s`, inputs.hotNoWaitAcceptedPerSecond, targets.hotNoWaitAcceptedPerSecondMin, '/s'),
    atMost(`steady ${formatNumber(inputs.steadyRatePerSecond)}/s: p99 POST→result ≤ ${targets.steadyResultP99MsMax} ms`, inputs.steadyResultP99Ms, targets.steadyResultP99MsMax, ' ms'),
    atMost(`steady ${formatNumber(inputs.steadyRatePerSecond)}/s: p99 POST→socket ≤ ${targets.steadySocketP99MsMax} ms`, inputs.steadySocketP99Ms, targets.steadySocketP99MsMax, ' ms'),
    atMost(`peak RSS of one web process ≤ ${targets.webPeakMegabytesMax} MB`, inputs.webPeakMegabytesMax, targets.webPeakMegabytesMax, ' MB'),
    holds('auditor clean', inputs.auditViolations === 0, inputs.auditViolations === 0 ? 'clean' : `${inputs.auditViolations} violations`),
    holds('every accepted purchase has exactly one result', inputs.purchasesWithoutResult === 0, inputs.purchasesWithoutResult === 0 ? 'all' : `${inputs.purchasesWithoutResult} without a result`),
    holds('the row-lock baseline never oversold', !inputs.baselineOversold, inputs.baselineOversold ? 'OVERSOLD' : 'never'),
  ];
}
