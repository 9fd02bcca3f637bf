import { describe, expect, it } from 'vitest';
import { DICTIONARY, translate } from './dictionary';

describe('English and Hindi labels', () => {
  it('have the same keys and no blank label', () => {
    expect(Object.keys(DICTIONARY.hi).sort()).toEqual(Object.keys(DICTIONARY.en).sort());
    for (const language of ['en', 'hi'] as const)
      for (const [key, label] of Object.entries(DICTIONARY[language]))
        expect(label.trim(), `${language} ${key}`).not.toBe('');
  });

  it('writes Hindi labels in Devanagari', () => {
    expect(DICTIONARY.hi['portal.title']).toMatch(/[\u0900-\u097F]/);
  });

  it('falls back to English, then to the key, for unknown labels', () => {
    expect(translate('hi', 'stage.SOMETHING_NEW')).toBe('stage.SOMETHING_NEW');
    expect(translate('hi', 'portal.title')).toBe(DICTIONARY.hi['portal.title']);
  });
});
