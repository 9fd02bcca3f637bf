import { Type, type Static } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    error: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'ErrorResponse', description: 'Every 4xx/5xx answer has this shape' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** Free text someone types (a site's name or address, AEFI notes): anything but markup, so no script is ever stored. */
export const PlainText = (limits: { minLength?: number; maxLength: number }) =>
  Type.String({
    ...limits,
    pattern: '^[^<>]*$',
    description: `${limits.minLength ?? 0}–${limits.maxLength} characters, no < or >`,
  });

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
} as const;
