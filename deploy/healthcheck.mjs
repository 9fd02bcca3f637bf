// Container healthcheck: healthy when the URL answers 2xx within 4 s. Node's own fetch, so the image needs no curl.
// Default: the API's liveness endpoint on $PORT. The worker's compose healthcheck passes its metrics URL instead.
const url = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT || 3000}/health`;
fetch(url, { signal: AbortSignal.timeout(4_000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
