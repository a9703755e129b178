// A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: it throws on any line
// Prometheus would refuse (a sample before its TYPE, a family declared twice, a bad label or value), so a test
// that reads /metrics through it also proves the answer is valid. prom-client writes the format but cannot read
// it; a parser of our own of about 80 lines is easier to trust here than a little-used package.

export type Sample = { name: string; labels: Readonly<Record<string, string>>; value: number };
export type MetricFamily = { name: string; type: string; help: string; samples: Sample[] };

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const labelName = '[a-zA-Z_][a-zA-Z0-9_]*';
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`);
const helpLine = new RegExp(`^# HELP (${metricName}) (.*)$`);
const sampleLine = new RegExp(`^(${metricName})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const labelPair = new RegExp(`^(${labelName})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(,|$)`);

// Samples of a histogram or summary carry a suffix after the family's name.
const suffixes: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const helps = new Map<string, string>();
  let current: MetricFamily | undefined;
  text.split('\n').forEach((line, index) => {
    const fail = (why: string) => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    const help = helpLine.exec(line);
    if (help) {
      helps.set(help[1] ?? '', help[2] ?? '');
      return;
    }
    const type = typeLine.exec(line);
    if (type) {
      const name = type[1] ?? '';
      if (families.has(name)) fail('family declared twice');
      current = { name, type: type[2] ?? '', help: helps.get(name) ?? '', samples: [] };
      families.set(name, current);
      return;
    }
    if (line.startsWith('#')) fail('unknown comment line');
    const sample = sampleLine.exec(line);
    if (!sample) return fail('not a sample');
    const name = sample[1] ?? '';
    if (!current || !(suffixes[current.type] ?? ['']).some((suffix) => name === `${current?.name}${suffix}`)) fail('sample outside its TYPE');
    current?.samples.push({ name, labels: parseLabels(sample[2] ?? '', fail), value: parseValue(sample[3] ?? '', fail) });
  });
  return families;
}

function parseLabels(text: string, fail: (why: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const pair = labelPair.exec(rest);
    if (!pair) return fail('bad label');
    const [whole, name = '', value = ''] = pair;
    if (name in labels) fail(`label ${name} twice`);
    labels[name] = value.replace(/\\(.)/g, (_escape, character: string) => (character === 'n' ? '\n' : character));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseValue(text: string, fail: (why: string) => never): number {
  // As Prometheus reads them (Go's ParseFloat): NaN and infinities in any case; prom-client writes "Nan".
  if (/^nan$/i.test(text)) return Number.NaN;
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail('bad value');
  return Number(text);
}

// The samples of a family whose labels include the given ones.
export function samplesOf(families: ReadonlyMap<string, MetricFamily>, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return (families.get(name)?.samples ?? []).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

// The sum of a family's samples with the given sample name and labels (0 when there are none).
export function sumOf(families: ReadonlyMap<string, MetricFamily>, family: string, labels: Readonly<Record<string, string>> = {}, sampleName = family): number {
  return samplesOf(families, family, labels)
    .filter((sample) => sample.name === sampleName)
    .reduce((total, sample) => total + sample.value, 0);
}
