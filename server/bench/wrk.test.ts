// Goal: the benchmark reads wrk's JSON report right, refuses a missing or malformed one loudly, and builds wrk's arguments as intended.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countStatuses, parseWrkReport, transportErrors, wrkArguments, wrkScriptsDirectory } from './wrk';

// What wrk 4.1 printed with scripts/wrk/purchase.lua (restockEvery=10) against a local echo server.
const purchaseOutput = `Running 1s test @ http://127.0.0.1:38651
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   467.00us    1.15ms  14.33ms   93.41%
  Latency Distribution
     50%  146.00us
     99%    6.01ms
  20706 requests in 1.00s, 3.65MB read
Requests/sec:  20696.98
Transfer/sec:      3.64MB
{"bytes":3822324,"durationSeconds":1.000436,"errors":{"connect":0,"read":0,"status":0,"timeout":0,"write":0},"latencyMs":{"max":14.334,"mean":0.467,"p50":0.146,"p90":1.026,"p99":6.013},"requests":20706,"restocks":2070,"script":"purchase","seed":42,"statuses":{"200":18636,"202":2070},"threads":2}
`;

const pingLine = '{"bytes":6017168,"durationSeconds":1.09839,"errors":{"connect":0,"read":1,"status":3,"timeout":2,"write":0},"latencyMs":{"max":7.435,"mean":0.304,"p50":0.112,"p90":0.562,"p99":3.826},"requests":32702,"script":"ping","threads":1}';

function pingLineWith(field: string): string {
  return pingLine.replace('"threads":1', `"threads":1,${field}`);
}

describe('parseWrkReport', () => {
  it('reads the purchase script report after wrk’s own text', () => {
    const report = parseWrkReport(purchaseOutput);
    expect(report).toMatchObject({ script: 'purchase', requests: 20706, durationSeconds: 1.000436, seed: 42, restocks: 2070, threads: 2 });
    expect(report.latencyMs.p99).toBe(6.013);
    expect(countStatuses(report, [200, 202])).toBe(20706);
    expect(countStatuses(report, [503])).toBe(0);
  });

  it('reads the ping report, which counts no statuses', () => {
    const report = parseWrkReport(`Running 1s test\n${pingLine}\n`);
    expect(report.statuses).toBeUndefined();
    expect(countStatuses(report, [200])).toBe(0);
    expect(report.errors.status).toBe(3);
    expect(transportErrors(report)).toBe(3);
  });

  it('refuses output without a report', () => {
    expect(() => parseWrkReport('Running 1s test\nRequests/sec: 1\n')).toThrow(/no JSON report/);
    expect(() => parseWrkReport('')).toThrow(/no JSON report/);
  });

  it('refuses a report that is not JSON', () => {
    expect(() => parseWrkReport('{"requests": 1,')).toThrow(/not JSON/);
  });

  it.each([
    ['a missing field', pingLine.replace('"requests":32702,', '')],
    ['a negative count', pingLine.replace('"requests":32702', '"requests":-1')],
    ['an unknown script', pingLine.replace('"script":"ping"', '"script":"other"')],
    ['an unknown field', pingLine.replace('"threads":1', '"threads":1,"extra":1')],
    ['a status that is not a code', pingLineWith('"statuses":{"ok":1}')],
    ['a zero duration', pingLine.replace('"durationSeconds":1.09839', '"durationSeconds":0')],
  ])('refuses a report with %s', (_, line) => {
    expect(() => parseWrkReport(line)).toThrow(/wrong shape/);
  });
});

describe('wrkArguments', () => {
  it('runs the script with a 15 s timeout and passes script arguments after --', () => {
    expect(
      wrkArguments({ url: 'http://127.0.0.1:3200', script: 'purchase.lua', connections: 200, seconds: 8, threads: 1, scriptArguments: ['items=a', 'tag=t'] }),
    ).toEqual(['-t1', '-c200', '-d8s', '--latency', '--timeout', '15s', '-s', path.join(wrkScriptsDirectory, 'purchase.lua'), 'http://127.0.0.1:3200', '--', 'items=a', 'tag=t']);
  });

  it('leaves out -- without script arguments', () => {
    expect(wrkArguments({ url: 'http://x/api/ping', script: 'ping.lua', connections: 2, seconds: 1, threads: 2 }).at(-1)).toBe('http://x/api/ping');
  });

  it('refuses fewer connections than threads', () => {
    expect(() => wrkArguments({ url: 'http://x', script: 'ping.lua', connections: 1, seconds: 1, threads: 2 })).toThrow(/connection per thread/);
  });
});
