import { afterAll, describe, expect, it } from 'vitest';
import { refusalText } from './error-text';
import { i18n, translate } from './i18n';

afterAll(() => i18n.changeLanguage('en'));

describe('the dashboard i18n instance', () => {
  it('finds a key in the file its first segment names, and other keys in common.json', async () => {
    await i18n.changeLanguage('en');
    expect(translate('portal.title')).toBe('Book your vaccination');
    expect(translate('nav.warRoom')).toBe('War room');
    expect(translate('common.yes')).toBe('Yes');
    expect(translate('errors.SESSION_FULL')).toBe('No seats left in this session.');
  });

  it('writes plurals and numbers by the language rules, with Indian grouping', async () => {
    await i18n.changeLanguage('en');
    expect(translate('portal.search.seats', { dose: 1, count: 1 })).toBe('Dose 1: 1 seat');
    expect(translate('portal.search.seats', { dose: 2, count: 1234567 })).toBe('Dose 2: 12,34,567 seats');
    await i18n.changeLanguage('hi');
    expect(translate('portal.search.seats', { dose: 1, count: 1 })).toBe('पहली खुराक: 1 सीट');
    expect(translate('portal.search.seats', { dose: 2, count: 250000 })).toBe('दूसरी खुराक: 2,50,000 सीटें');
  });

  it('falls back to English for a language it does not have', async () => {
    await i18n.changeLanguage('fr');
    expect(i18n.resolvedLanguage).toBe('en');
    expect(translate('portal.title')).toBe('Book your vaccination');
  });
});

describe("a server refusal's words", () => {
  it('are the dictionary sentence in Hindi for every code, and in English the server words unless the code is shown', async () => {
    await i18n.changeLanguage('hi');
    expect(refusalText('STAFF_DOUBLE_BOOKED', 'Asha is on the Kothrud team that day')).toBe(
      'वह स्टाफ़ सदस्य उस दिन पहले से किसी और सत्र के दिन की टीम में है।',
    );
    expect(refusalText('SESSION_FULL', 'no dose 1 seats left')).toBe('इस सत्र में कोई सीट बाकी नहीं है।');
    await i18n.changeLanguage('en');
    expect(refusalText('STAFF_DOUBLE_BOOKED', 'Asha is on the Kothrud team that day')).toBe(
      'Asha is on the Kothrud team that day',
    );
    expect(refusalText('SESSION_FULL', 'no dose 1 seats left')).toBe('No seats left in this session.');
    expect(refusalText('NOT_A_CODE', 'something')).toBeUndefined();
  });
});
