// Goal: every free-text field of the contract refuses control characters and lone surrogates with a clear message (a description may hold tab and line feed), in the HTTP bodies and the Kafka payloads alike, and the browser-safe well-formedness check agrees with String.prototype.isWellFormed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  descriptionSchema,
  isWellFormedText,
  purchaseBodySchema,
  purchaseCreatedMessageSchema,
  purchasedBySchema,
  restockBodySchema,
  schemaVersion,
  signInBodySchema,
} from './contract';

const controlMessage = 'must not contain control characters';
const wellFormedMessage = 'must be well-formed Unicode (no lone surrogates)';

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

// Every C0 control character and DEL, each inside an otherwise fine text.
const controlCharacters = [...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)), '\u007f'];
const loneSurrogates = ['a\ud800b', 'a\udc00b', '\ud83d', 'x\udfff', '\udc00\ud800'];

describe('isWellFormedText', () => {
  it('agrees with String.prototype.isWellFormed on any sequence of UTF-16 code units', () => {
    const codeUnit = fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(codeUnit, { maxLength: 12 }), (units) => {
        const text = String.fromCharCode(...units);
        // Node 20 has isWellFormed; the project's TypeScript lib (ES2023) does not declare it yet.
        expect(isWellFormedText(text)).toBe((text as unknown as { isWellFormed(): boolean }).isWellFormed());
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts surrogate pairs and refuses lone halves', () => {
    expect(isWellFormedText('Ann 😀 📚')).toBe(true);
    for (const text of loneSurrogates) expect(isWellFormedText(text), JSON.stringify(text)).toBe(false);
  });
});

describe('purchasedBy', () => {
  it('refuses every control character, tab and line feed included', () => {
    for (const character of controlCharacters) {
      const result = purchasedBySchema.safeParse(`An${character}n`);
      expect(result.success, JSON.stringify(character)).toBe(false);
      expect(messages(result)).toContain(controlMessage);
    }
  });

  it('refuses lone surrogates', () => {
    for (const text of loneSurrogates) expect(messages(purchasedBySchema.safeParse(text)), JSON.stringify(text)).toContain(wellFormedMessage);
  });

  it('accepts names in any script, emoji included, and trims the whitespace around them', () => {
    expect(purchasedBySchema.parse('  Zoë Ångström 😀  ')).toBe('Zoë Ångström 😀');
    expect(purchasedBySchema.parse('\tАнна\n')).toBe('Анна');
  });

  it('names the field in a purchase body, and the worker refuses the same in its Kafka payload', () => {
    const body = { itemId: 'dune', quantity: 1, purchasedBy: 'Ann\u0000' };
    const parsed = purchaseBodySchema.safeParse(body);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['purchasedBy', controlMessage]]);
    const message = { schemaVersion, purchaseId: 'p-1', ...body, createdAt: '2026-11-30T10:00:00.000Z' };
    expect(purchaseCreatedMessageSchema.safeParse(message).success).toBe(false);
    expect(purchaseCreatedMessageSchema.safeParse({ ...message, purchasedBy: 'a\ud800b' }).success).toBe(false);
    expect(purchaseCreatedMessageSchema.safeParse({ ...message, purchasedBy: 'Ann' }).success).toBe(true);
  });
});

describe('description', () => {
  it('accepts tab and line feed inside, and refuses every other control character', () => {
    expect(descriptionSchema.parse('Dune\n\tby Frank Herbert')).toBe('Dune\n\tby Frank Herbert');
    for (const character of controlCharacters.filter((character) => character !== '\t' && character !== '\n')) {
      const result = descriptionSchema.safeParse(`Du${character}ne`);
      expect(result.success, JSON.stringify(character)).toBe(false);
      expect(messages(result)[0]).toMatch(/^must not contain control characters/);
    }
  });

  it('refuses lone surrogates, naming the field in a restock body', () => {
    const parsed = restockBodySchema.safeParse({ description: 'Dune \udc00', quantity: 1 });
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['description', wellFormedMessage]]);
  });
});

describe('sign-in password', () => {
  it('is taken as typed, spaces and any printable character included', () => {
    expect(signInBodySchema.parse({ password: ' pass wörd 🔑 ' })).toEqual({ password: ' pass wörd 🔑 ' });
  });

  it('refuses control characters and lone surrogates', () => {
    expect(messages(signInBodySchema.safeParse({ password: 'sell\u0000er' }))).toContain(controlMessage);
    expect(messages(signInBodySchema.safeParse({ password: 'seller\n' }))).toContain(controlMessage);
    expect(messages(signInBodySchema.safeParse({ password: 'sell\ud800er' }))).toContain(wellFormedMessage);
  });
});
