'use client';
// Purchases over the chosen range (5 minutes, an hour or a day) as stacked bars (succeeded below, failed on
// top) per bucket, plain SVG drawn at the container's real width so that its text stays readable on a phone.
// The scale follows the visible window only (purchase-tally.ts).
import { useEffect, useId, useRef, useState } from 'react';
import type { StatsRange } from '@/server/contract';
import { useLiveConnection } from '@/components/realtime/socket-provider';
import { axisLabelEveryMs, chartRanges, rangeWords, scaleOf, sumBuckets, type ChartBucket, type ChartRange } from './purchase-tally';
import { usePurchaseTally } from './use-purchase-tally';

const chartHeight = 248;
const margin = { top: 28, right: 6, bottom: 30, left: 42 };

const minuteFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const secondFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const count = (value: number) => value.toLocaleString('en-US');

const rangeLabels: Record<StatsRange, string> = { '5m': '5 min', '1h': '1 hour', '24h': '24 hours' };

// A bar segment with rounded top corners only, so a stack reads as one bar.
function topRoundedBar(x: number, y: number, width: number, height: number): string {
  const radius = Math.min(3, width / 2, height);
  return `M${x},${y + height}V${y + radius}Q${x},${y} ${x + radius},${y}H${x + width - radius}Q${x + width},${y} ${x + width},${y + radius}V${y + height}Z`;
}

function useWidth<Element extends HTMLElement>() {
  const ref = useRef<Element>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

function Tooltip({ bucket, chart, left }: { bucket: ChartBucket; chart: ChartRange; left: number }) {
  const format = chart.range === '5m' ? secondFormat : minuteFormat;
  return (
    <div aria-hidden className="pointer-events-none absolute top-0 z-10 w-40 rounded-lg bg-slate-900 px-3 py-2 text-xs text-white shadow-lg dark:bg-slate-700" style={{ left }}>
      <p className="font-medium tabular-nums">
        {format.format(bucket.startsAtMs)}–{format.format(bucket.startsAtMs + chart.bucketMs)}
      </p>
      <p className="mt-1 flex items-center gap-1.5 tabular-nums">
        <span className="h-2 w-2 rounded-sm bg-emerald-400" /> {count(bucket.succeeded)} succeeded
      </p>
      <p className="flex items-center gap-1.5 tabular-nums">
        <span className="h-2 w-2 rounded-sm bg-rose-400" /> {count(bucket.failed)} failed
      </p>
    </div>
  );
}

function Bars({ buckets, chart, width, summary }: { buckets: ChartBucket[]; chart: ChartRange; width: number; summary: string }) {
  const [hovered, setHovered] = useState<number | null>(null);
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = chartHeight - margin.top - margin.bottom;
  const { top, step } = scaleOf(buckets);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / buckets.length;
  const barWidth = Math.max(2, Math.min(22, slot * 0.7));
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const labelEveryMs = axisLabelEveryMs(chart);
  const words = rangeWords(chart);
  // Only a bar with purchases in it has anything to say: an empty bucket shows no tooltip.
  const hoveredBucket = hovered === null ? undefined : buckets[hovered];
  const tooltipBucket = hoveredBucket && hoveredBucket.succeeded + hoveredBucket.failed > 0 ? hoveredBucket : undefined;
  const empty = buckets.every((bucket) => bucket.succeeded + bucket.failed === 0);

  return (
    <div className="relative">
      <svg
        width={width}
        height={chartHeight}
        role="img"
        aria-label={summary}
        className="block select-none"
        data-testid="purchases-chart"
        data-range={chart.range}
        data-scale-top={top}
        // Leaving the drawing between two bars (quickly, or over the axis) still ends the hover.
        onPointerLeave={() => setHovered(null)}
      >
        <title>{summary}</title>
        <text x={0} y={12} className="fill-slate-600 text-[11px] font-medium dark:fill-slate-400">
          Purchases per {words.bucket}
        </text>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={margin.left}
              x2={width - margin.right}
              y1={y(tick)}
              y2={y(tick)}
              className={tick === 0 ? 'stroke-slate-300 dark:stroke-slate-600' : 'stroke-slate-200 dark:stroke-slate-700'}
              strokeDasharray={tick === 0 ? undefined : '3 4'}
            />
            <text x={margin.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-slate-600 text-[11px] tabular-nums dark:fill-slate-400">
              {count(tick)}
            </text>
          </g>
        ))}
        {tooltipBucket && hovered !== null && <rect x={margin.left + slot * hovered} y={margin.top} width={slot} height={plotHeight} className="fill-indigo-50 dark:fill-slate-800" />}
        {buckets.map((bucket, index) => {
          const x = margin.left + slot * (index + 0.5) - barWidth / 2;
          const succeededHeight = (bucket.succeeded / top) * plotHeight;
          const failedHeight = (bucket.failed / top) * plotHeight;
          const labelled = bucket.startsAtMs % labelEveryMs === 0;
          return (
            <g key={bucket.startsAtMs} data-starts-at={bucket.startsAtMs} data-succeeded={bucket.succeeded} data-failed={bucket.failed}>
              {succeededHeight > 0 &&
                (failedHeight > 0 ? (
                  <rect x={x} y={y(bucket.succeeded)} width={barWidth} height={succeededHeight} className="fill-emerald-500" />
                ) : (
                  <path d={topRoundedBar(x, y(bucket.succeeded), barWidth, succeededHeight)} className="fill-emerald-500" />
                ))}
              {failedHeight > 0 && (
                // One pixel of gap between the two parts keeps them apart at a glance.
                <path d={topRoundedBar(x, y(bucket.succeeded + bucket.failed), barWidth, Math.max(1, failedHeight - (succeededHeight > 0 ? 1 : 0)))} className="fill-rose-500" />
              )}
              {labelled && (
                <>
                  <line x1={x + barWidth / 2} x2={x + barWidth / 2} y1={y(0)} y2={y(0) + 4} className="stroke-slate-300 dark:stroke-slate-600" />
                  {/* Kept inside the drawing: a label under the last bar would otherwise be cut at the edge. */}
                  <text
                    x={Math.min(Math.max(x + barWidth / 2, 16), width - 16)}
                    y={chartHeight - 10}
                    textAnchor="middle"
                    className="fill-slate-600 text-[11px] tabular-nums dark:fill-slate-400"
                  >
                    {minuteFormat.format(bucket.startsAtMs)}
                  </text>
                </>
              )}
            </g>
          );
        })}
        {empty && (
          <text x={margin.left + plotWidth / 2} y={margin.top + plotHeight / 2} textAnchor="middle" className="fill-slate-600 text-sm dark:fill-slate-400">
            No purchases decided in the {words.window}
          </text>
        )}
        {buckets.map((bucket, index) => (
          <rect
            key={bucket.startsAtMs}
            x={margin.left + slot * index}
            y={margin.top}
            width={slot}
            height={plotHeight}
            fill="transparent"
            onPointerEnter={() => setHovered(index)}
            onPointerLeave={() => setHovered((current) => (current === index ? null : current))}
          />
        ))}
      </svg>
      {tooltipBucket && hovered !== null && <Tooltip bucket={tooltipBucket} chart={chart} left={Math.min(Math.max(0, margin.left + slot * (hovered + 0.5) - 80), width - 160)} />}
    </div>
  );
}

// Whether new results are arriving: without the socket the chart is a snapshot that goes stale.
function LiveBadge() {
  const { connected } = useLiveConnection();
  return connected ? (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800">
      <span aria-hidden className="relative flex h-2 w-2">
        <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-60 motion-reduce:animate-none" />
        <span className="relative inline-flex h-2 w-2 rounded-full bg-emerald-500" />
      </span>
      Live
    </span>
  ) : (
    <span className="inline-flex items-center rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800">
      Paused
    </span>
  );
}

function Tile({ label, value, swatch, detail }: { label: string; value: string; swatch?: string; detail?: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2.5 ring-1 ring-slate-200/70 sm:px-4 dark:bg-slate-800/60 dark:ring-slate-700">
      <dt className="flex items-center gap-2 text-xs font-medium text-slate-600 dark:text-slate-300">
        {swatch && <span aria-hidden className={`h-2.5 w-2.5 shrink-0 rounded-sm ${swatch}`} />}
        {label}
      </dt>
      <dd className="mt-1 text-xl font-semibold tracking-tight text-slate-900 tabular-nums sm:text-2xl dark:text-slate-50">{value}</dd>
      {detail && <dd className="text-xs text-slate-600 tabular-nums dark:text-slate-400">{detail}</dd>}
    </div>
  );
}

// Three radio buttons drawn as one segmented control: arrow keys move between them, as in any radio group.
function RangePicker({ range, onChange }: { range: StatsRange; onChange: (range: StatsRange) => void }) {
  const name = useId();
  return (
    <fieldset className="flex items-center gap-2">
      <legend className="sr-only">Chart range</legend>
      <div className="inline-flex rounded-lg bg-slate-100 p-0.5 ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">
        {chartRanges.map((option) => (
          <label
            key={option}
            className={`cursor-pointer rounded-md px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600 ${
              option === range
                ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-600 dark:text-white'
                : 'text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
            }`}
          >
            <input type="radio" name={name} value={option} checked={option === range} onChange={() => onChange(option)} className="sr-only" />
            {rangeLabels[option]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function PurchasesChart() {
  const [range, setRange] = useState<StatsRange>('5m');
  const { chart, buckets, error } = usePurchaseTally(range);
  const { ref, width } = useWidth<HTMLDivElement>();
  const totals = sumBuckets(buckets ?? []);
  const decided = totals.succeeded + totals.failed;
  const words = rangeWords(chart);
  const windowTitle = words.window[0]?.toUpperCase() + words.window.slice(1);
  const summary = `${windowTitle}: ${count(totals.succeeded)} succeeded, ${count(totals.failed)} failed`;

  return (
    <section aria-labelledby="purchases-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div className="flex items-center gap-3">
          <h2 id="purchases-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Purchases
          </h2>
          <LiveBadge />
        </div>
        <RangePicker range={range} onChange={setRange} />
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Every purchase decided in the {words.window}, per {words.bucket}: the ones that sold (green) and the ones turned away because too few copies were left
        (red). The scale fits the busiest bar shown.
      </p>
      <dl aria-label={`Totals, ${words.window}`} className="mt-4 grid grid-cols-3 gap-2 sm:gap-3">
        <Tile label="Succeeded" swatch="bg-emerald-500" value={buckets ? count(totals.succeeded) : '–'} />
        <Tile label="Failed" swatch="bg-rose-500" value={buckets ? count(totals.failed) : '–'} />
        <Tile
          label="Success rate"
          value={buckets && decided > 0 ? `${Math.round((totals.succeeded / decided) * 100)}%` : '–'}
          detail={buckets ? `of ${count(decided)} decided` : undefined}
        />
      </dl>
      {error && (
        <p role="alert" className="mt-3 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800">
          Could not load the purchase figures: {error}
        </p>
      )}
      <div ref={ref} className="mt-4" style={{ minHeight: chartHeight }}>
        {buckets && width > 0 ? (
          <Bars buckets={buckets} chart={chart} width={width} summary={summary} />
        ) : (
          <p className="flex items-center justify-center text-sm text-slate-600 dark:text-slate-400" style={{ height: chartHeight }}>
            Loading purchases…
          </p>
        )}
      </div>
    </section>
  );
}
