import { isNoResponse } from '../api/client';
import { errorText } from '../i18n/error-text';
import { cachedValue, cacheValue } from '../offline/desk-store';

/** Where a read's outcome goes: the server's answer, the copy kept on the phone, or why the server refused. */
export interface KeptCopyView<T> {
  answer(value: T): void;
  copy(value: T, savedAt: string): void;
  error(text: string): void;
}

/**
 * Reads what the desk needs on a day with no network too: the server's answer is shown and kept on the phone;
 * without one, the copy kept last is shown, and only a refusal (not a missing network) is shown as an error.
 */
export async function readKeepingCopy<T>(key: string, read: () => Promise<T>, view: KeptCopyView<T>): Promise<void> {
  try {
    const fresh = await read();
    view.answer(fresh);
    await cacheValue(key, fresh);
  } catch (failure) {
    const cached = await cachedValue<T>(key);
    if (cached) view.copy(cached.value, cached.savedAt);
    if (!isNoResponse(failure)) view.error(errorText(failure));
  }
}
