// Goal: "My purchases" keeps the newest ids first, each once, at most the lookup's limit, and survives whatever storage holds.
import { describe, expect, it } from 'vitest';
import { keptIdsMax, parseKeptIds, withKeptId, type KeptId } from './purchase-ids';

describe('withKeptId', () => {
  it('given a new id, puts it first', () => {
    expect(withKeptId([{ id: 'a', kind: 'purchase' }], { id: 'b', kind: 'hold' })).toEqual([
      { id: 'b', kind: 'hold' },
      { id: 'a', kind: 'purchase' },
    ]);
  });

  it('given an id already kept (a retry), moves it to the front once', () => {
    const kept: KeptId[] = [
      { id: 'b', kind: 'purchase' },
      { id: 'a', kind: 'purchase' },
    ];
    expect(withKeptId(kept, { id: 'a', kind: 'purchase' }).map((entry) => entry.id)).toEqual(['a', 'b']);
  });

  it('given a full list, drops the oldest', () => {
    const full = Array.from({ length: keptIdsMax }, (_, index): KeptId => ({ id: `p${index}`, kind: 'purchase' }));
    const next = withKeptId(full, { id: 'new', kind: 'purchase' });
    expect(next).toHaveLength(keptIdsMax);
    expect(next[0]?.id).toBe('new');
    expect(next.at(-1)?.id).toBe(`p${keptIdsMax - 2}`);
  });
});

describe('parseKeptIds', () => {
  it('given what withKeptId stored, reads it back', () => {
    const kept = withKeptId([{ id: 'b', kind: 'purchase' }], { id: 'a-1', kind: 'hold', title: 'Dune' });
    expect(parseKeptIds(JSON.stringify(kept))).toEqual(kept);
  });

  it('given nothing, broken JSON or another shape, reads an empty list', () => {
    expect(parseKeptIds(null)).toEqual([]);
    expect(parseKeptIds('{')).toEqual([]);
    expect(parseKeptIds('{"id":"a"}')).toEqual([]);
  });

  it('given bad entries, keeps only the valid ones, each once, at most the limit', () => {
    const text = JSON.stringify([
      { id: 'ok', kind: 'purchase' },
      { id: 'ok', kind: 'purchase' },
      { id: 'has,comma', kind: 'purchase' },
      { id: 'x', kind: 'order' },
      { id: 'titled', kind: 'purchase', title: 42 },
      null,
      'plain',
      ...Array.from({ length: keptIdsMax + 5 }, (_, index) => ({ id: `p${index}`, kind: 'hold' })),
    ]);
    const kept = parseKeptIds(text);
    expect(kept[0]).toEqual({ id: 'ok', kind: 'purchase' });
    expect(kept[1]).toEqual({ id: 'titled', kind: 'purchase' });
    expect(kept).toHaveLength(keptIdsMax);
    expect(kept.some((entry) => entry.id === 'has,comma')).toBe(false);
  });
});
