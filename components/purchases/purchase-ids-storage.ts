'use client';
// The kept ids in localStorage, shared by the tabs of one browser: a Buy or Reserve in one tab shows up in
// "My purchases" in another. Without storage (private modes, a full quota) the list lives as long as the tab.
import { useSyncExternalStore } from 'react';
import { parseKeptIds, withKeptId, type KeptId } from './purchase-ids';

const storageKey = 'bps.my-purchases';
const listeners = new Set<() => void>();
let inMemory: KeptId[] = [];
// useSyncExternalStore wants the same array for the same stored text.
let cached: { text: string | null; ids: KeptId[] } = { text: null, ids: [] };

function readText(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function readKeptIds(): KeptId[] {
  const text = readText();
  if (text === null) return inMemory;
  if (text !== cached.text) cached = { text, ids: parseKeptIds(text) };
  return cached.ids;
}

// Called when a Buy or Reserve is sent, before its answer: a purchase whose answer is lost still shows up.
export function keepId(entry: KeptId): void {
  const next = withKeptId(readKeptIds(), entry);
  inMemory = next;
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(next));
  } catch {
    // Storage refused: the in-memory list still serves this tab.
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

// undefined until the browser has been asked (the server cannot know).
export function useKeptIds(): KeptId[] | undefined {
  return useSyncExternalStore<KeptId[] | undefined>(subscribe, readKeptIds, () => undefined);
}
