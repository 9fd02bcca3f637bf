export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequestOptions {
  method?: HttpMethod;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>` when present. */
  token?: string;
  signal?: AbortSignal;
}

/** Status 0 means the request never got an HTTP answer (offline, refused, timed out). */
export const NO_RESPONSE_STATUS = 0;

export class ApiError extends Error {
  readonly status: number;
  /** Parsed response body, kept because some error responses still carry useful data. */
  readonly body: unknown;

  constructor(status: number, message: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/** The request never got an HTTP answer: the network is down or the server out of reach. */
export function isNoResponse(error: unknown): boolean {
  return error instanceof ApiError && error.status === NO_RESPONSE_STATUS;
}

export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const { method = 'GET', body, token, signal } = options;

  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers['Authorization'] = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    // A deliberate cancellation is not a failure; let callers recognise it and ignore it.
    if (isAbortError(error)) throw error;
    const reason = isTimeoutError(error) ? 'timed out' : 'could not reach the server';
    throw new ApiError(NO_RESPONSE_STATUS, `${method} ${path} ${reason}`);
  }

  const responseBody = await readBody(response);
  if (!response.ok) {
    const fallback = `${method} ${path} failed: ${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, serverMessage(responseBody) ?? fallback, responseBody);
  }
  return responseBody as T;
}

export function apiGet<T>(path: string, options: Omit<ApiRequestOptions, 'method' | 'body'> = {}) {
  return apiRequest<T>(path, { ...options, method: 'GET' });
}

export function apiPost<T>(path: string, body: unknown, options: Omit<ApiRequestOptions, 'method' | 'body'> = {}) {
  return apiRequest<T>(path, { ...options, method: 'POST', body });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function isTimeoutError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  const isJson = response.headers.get('Content-Type')?.includes('json') ?? false;
  if (!isJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body;
    if (typeof message === 'string' && message !== '') return message;
  }
  return undefined;
}

export function apiDelete<T>(path: string, options: Omit<ApiRequestOptions, 'method' | 'body'> = {}) {
  return apiRequest<T>(path, { ...options, method: 'DELETE' });
}

/** POSTs a non-JSON body (e.g. a CSV file as text/csv); the answer is read like any other. */
export async function apiPostText<T>(
  path: string,
  text: string,
  contentType: string,
  options: Omit<ApiRequestOptions, 'method' | 'body'> = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType };
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: text, signal: options.signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(NO_RESPONSE_STATUS, `POST ${path} could not reach the server`);
  }
  const body = await readBody(response);
  if (!response.ok)
    throw new ApiError(response.status, serverMessage(body) ?? `POST ${path} failed: ${response.status}`, body);
  return body as T;
}

/** GETs a file (e.g. a PDF certificate) as a Blob. */
export async function apiGetBlob(
  path: string,
  options: Omit<ApiRequestOptions, 'method' | 'body'> = {},
): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, { headers, signal: options.signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(NO_RESPONSE_STATUS, `GET ${path} could not reach the server`);
  }
  if (!response.ok) {
    const body = await readBody(response);
    throw new ApiError(response.status, serverMessage(body) ?? `GET ${path} failed: ${response.status}`, body);
  }
  return response.blob();
}
