import { Fragment, type ReactNode } from 'react';

/** A translated sentence with some of its values set as code (CSV column names): `{columns}` → <code>…</code>. */
export function withCode(
  t: (key: string, vars?: Record<string, string | number>) => string,
  key: string,
  code: Record<string, string>,
  vars: Record<string, string | number> = {},
): ReactNode {
  const marked = Object.fromEntries(Object.keys(code).map((name) => [name, `\u0001${name}\u0001`]));
  return t(key, { ...vars, ...marked })
    .split('\u0001')
    .map((part, i) => (i % 2 === 1 ? <code key={i}>{code[part]}</code> : <Fragment key={i}>{part}</Fragment>));
}
