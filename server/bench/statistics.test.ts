// Goal: the benchmark's figures are computed right: nearest-rank percentiles, summaries, and the outputs render.
import { describe, expect, it } from 'vitest';
import { barChartSvg, median, percentile, summarize, textTable } from './statistics';

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('takes the median of an odd and an even count, unsorted', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('summarizes unsorted latencies', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p90: 5, p95: 5, p99: 5, max: 5, mean: 3 });
  });

  it('renders a chart with one bar per value and escapes labels', () => {
    const svg = barChartSvg('Throughput', 'purchases/s', [
      { label: 'hot <item>', value: 100, group: 'pipeline' },
      { label: 'baseline', value: 25, group: 'row lock' },
    ]);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('hot &#60;item&#62;');
    expect(svg).toContain('100 purchases/s');
  });

  it('aligns a text table', () => {
    expect(textTable(['a', 'bb'], [['x', '1'], ['yy', '22']]).split('\n')).toEqual(['a   bb', '--  --', 'x    1', 'yy  22']);
  });
});
