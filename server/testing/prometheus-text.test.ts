// Goal: the test parser reads what prom-client writes and refuses what Prometheus would refuse.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, samplesOf, sumOf } from './prometheus-text';

describe('parsePrometheusText', () => {
  it("reads prom-client's own output: counters, labelled gauges, histograms, escapes and NaN", async () => {
    const registry = new Registry();
    new Counter({ name: 't_total', help: 'a counter', labelNames: ['kind'], registers: [registry] }).inc({ kind: 'a "quoted"\\ \nvalue' }, 3);
    const gauge = new Gauge({ name: 't_gauge', help: 'a gauge', labelNames: ['partition'], registers: [registry] });
    gauge.set({ partition: '0' }, 5);
    gauge.set({ partition: '1' }, Number.NaN);
    const histogram = new Histogram({ name: 't_seconds', help: 'a histogram', buckets: [0.1, 1], registers: [registry] });
    histogram.observe(0.5);
    histogram.observe(2);

    const families = parsePrometheusText(await registry.metrics());
    expect(families.get('t_total')?.type).toBe('counter');
    expect(families.get('t_total')?.help).toBe('a counter');
    expect(samplesOf(families, 't_total')[0]?.labels.kind).toBe('a "quoted"\\ \nvalue');
    expect(sumOf(families, 't_gauge', { partition: '0' })).toBe(5);
    expect(samplesOf(families, 't_gauge', { partition: '1' })[0]?.value).toBeNaN();
    expect(sumOf(families, 't_seconds', {}, 't_seconds_count')).toBe(2);
    expect(sumOf(families, 't_seconds', { le: '1' }, 't_seconds_bucket')).toBe(1);
    expect(sumOf(families, 't_seconds', { le: '+Inf' }, 't_seconds_bucket')).toBe(2);
  });

  it.each([
    ['a sample before its TYPE', 'x_total 1\n'],
    ['a sample of another family', '# TYPE x counter\ny 1\n'],
    ['a family declared twice', '# TYPE x counter\n# TYPE x counter\n'],
    ['an unknown type', '# TYPE x thing\n'],
    ['a bad value', '# TYPE x gauge\nx one\n'],
    ['an unquoted label', '# TYPE x gauge\nx{a=1} 1\n'],
    ['a label twice', '# TYPE x gauge\nx{a="1",a="2"} 1\n'],
    ['a bad escape', '# TYPE x gauge\nx{a="\\t"} 1\n'],
    ['an unknown comment', '# TYPE x gauge\n# NOTE x\n'],
    ['a histogram sample without suffix', '# TYPE x histogram\nx 1\n'],
    ['a bad metric name', '# TYPE 1x gauge\n1x 1\n'],
  ])('refuses %s', (_case, text) => {
    expect(() => parsePrometheusText(text)).toThrow(/line \d+/);
  });
});
