// Pure helpers of the benchmark: latency summaries, the results chart, the text table.
export type LatencySummary = { count: number; p50: number; p90: number; p95: number; p99: number; max: number; mean: number };

// Nearest-rank percentile over sorted values (q in 0..1).
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

// The middle value, or the mean of the two middle ones: with two runs per configuration, their mean.
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? Number.NaN : sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    mean,
  };
}

export type ChartBar = { label: string; value: number; group: string };

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (character) => `&#${character.charCodeAt(0)};`);

// Horizontal bars, one per label, coloured by group, each with its value: readable without a legend key.
export function barChartSvg(title: string, unit: string, bars: readonly ChartBar[]): string {
  const width = 760;
  const rowHeight = 28;
  const labelWidth = 260;
  const top = 48;
  const height = top + bars.length * rowHeight + 24;
  const valueMax = Math.max(1, ...bars.map((bar) => bar.value));
  const colours = ['#4f46e5', '#059669', '#e11d48', '#d97706', '#0891b2'];
  const groups = [...new Set(bars.map((bar) => bar.group))];
  const rows = bars
    .map((bar, index) => {
      const y = top + index * rowHeight;
      const barWidth = Math.max(1, ((width - labelWidth - 90) * bar.value) / valueMax);
      const colour = colours[groups.indexOf(bar.group) % colours.length];
      return [
        `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end" font-size="13">${escapeXml(bar.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 5}" width="${barWidth.toFixed(1)}" height="18" rx="3" fill="${colour}"/>`,
        `<text x="${(labelWidth + barWidth + 6).toFixed(1)}" y="${y + 18}" font-size="12">${escapeXml(formatNumber(bar.value))} ${escapeXml(unit)}</text>`,
      ].join('');
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="16" font-weight="600">${escapeXml(title)}</text>`,
    rows,
    '</svg>',
  ].join('\n');
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
