/** Shared by the in-process app and the test worker process so both sides hash and sign alike. */
export const TEST_SECRETS = {
  ID_HASH_SECRET: 'test-id-hash-secret-0123456789abcdef',
  TOKEN_SECRET: 'test-token-secret-0123456789abcdef0',
};
