// ESLint (flat config): the layering contract of ARCHITECTURE.md, promises that are never left floating, and
// workflow code that stays deterministic. `npm run lint`; CI runs it before the tests.
import boundaries from 'eslint-plugin-boundaries';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// The layers, lowest first. A file belongs to the first element whose folder holds it.
const elements = [
  { type: 'domain', pattern: 'domain' },
  { type: 'config', pattern: 'config' },
  { type: 'db', pattern: 'db' },
  { type: 'adapter', pattern: 'live' },
  { type: 'adapter', pattern: 'messaging' },
  { type: 'adapter', pattern: 'certificates' },
  { type: 'workflow-code', pattern: 'workflows/workflows' },
  { type: 'workflows', pattern: 'workflows' },
  { type: 'schemas', pattern: 'api/schemas' },
  { type: 'services', pattern: 'api/services' },
  { type: 'services', pattern: 'api/auth' },
  { type: 'api', pattern: 'api' },
  { type: 'dashboard', pattern: 'dashboard' },
].map((element) => ({ ...element, partialMatch: false, stopMatching: true }));

// Files with a wider audience than their folder's layer.
const files = [
  // HTTP errors and the client's address: shared by services and routes (api/ root).
  { category: 'http-shared', pattern: 'api/{errors,client-address,csv}.ts' },
  // Task queue, ids, message definitions and DTOs: what workflow code and its callers share.
  { category: 'workflow-shared', pattern: 'workflows/shared.ts' },
  // The certificate check runs in the browser too (the offline verifier page).
  { category: 'browser-safe', pattern: 'certificates/{verify,certificate-format}.ts' },
  // What the live feed sends: one definition for the server and the dashboard (no imports).
  { category: 'browser-safe', pattern: 'live/events.ts' },
];

const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });
const typesOnly = (...types) => ({ ...to(...types), dependency: { kind: 'type' } });
const toFiles = (category) => ({ to: { file: { categories: category } } });

// Who may import whom. Anything not allowed here is refused; tests, bench, scripts and stack are outside the layers.
const policies = [
  // Pure rules, statuses and roles: nothing of ours but other rules.
  { from: { element: { type: 'domain' } }, allow: to('domain') },
  { from: { element: { type: 'config' } }, allow: to('config', 'domain') },
  // SQL only: repositories read and write tables and decide nothing a rule in domain/ could decide.
  { from: { element: { type: 'db' } }, allow: to('db', 'domain', 'config') },
  // Live events, SMS and certificates sit beside the services: they may use the database and the rules.
  { from: { element: { type: 'adapter' } }, allow: to('adapter', 'db', 'domain', 'config') },
  // Workflow code runs in Temporal's sandbox: rules, the shared definitions and its activities' types, nothing else.
  {
    from: { element: { type: 'workflow-code' } },
    allow: [to('workflow-code', 'domain'), toFiles('workflow-shared'), typesOnly('workflows')],
  },
  {
    from: { element: { type: 'workflows' } },
    allow: to('workflows', 'workflow-code', 'adapter', 'db', 'domain', 'config'),
  },
  // Route schemas (TypeBox) are the contract with clients, the dashboard included: rules only.
  { from: { element: { type: 'schemas' } }, allow: to('schemas', 'domain') },
  // A service owns a transaction: it may use everything below it, never a route or plugin (their types only).
  {
    from: { element: { type: 'services' } },
    allow: [
      to('services', 'schemas', 'workflows', 'adapter', 'db', 'domain', 'config'),
      toFiles('http-shared'),
      typesOnly('api'),
    ],
  },
  {
    from: { element: { type: 'api' } },
    allow: to('api', 'schemas', 'services', 'workflows', 'adapter', 'db', 'domain', 'config'),
  },
  // The dashboard runs in the browser: pure rules and the certificate check at run time, the server only as types.
  {
    from: { element: { type: 'dashboard' } },
    allow: [
      to('dashboard', 'domain'),
      toFiles('browser-safe'),
      typesOnly('schemas', 'api', 'services', 'workflows', 'db', 'adapter', 'config'),
    ],
  },
];

const layering = (extraPolicies = []) => [
  'error',
  {
    default: 'disallow',
    message: '{{from.element.type}} may not import {{to.element.type}} ({{dependency.source}}); see ARCHITECTURE.md',
    policies: [...policies, ...extraPolicies],
  },
];

// Known debts, each to move into a service that owns the transaction (issue 16): these repositories publish live
// events or queue SMS themselves, and the booking statement names the journey's signal.
const repositoriesThatPublish = [
  'db/repositories/aefi.ts',
  'db/repositories/session-day-status.ts',
  'db/repositories/staff.ts',
];
const repositoriesThatSignal = ['db/repositories/bookings.ts'];

// Node's built-ins, by both spellings; banned where the Temporal sandbox runs the code.
const nodeBuiltins = builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`]));

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.data/**', 'dist/**', 'dashboard/dist/**', 'test-results/**', '**/*.generated.ts'],
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/files': files,
      'import/resolver': {
        typescript: { project: ['tsconfig.json', 'dashboard/tsconfig.json'], noWarnOnMultipleProjects: true },
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'boundaries/dependencies': layering(),
    },
  },
  { files: repositoriesThatPublish, rules: { 'boundaries/dependencies': layering([{ allow: to('adapter') }]) } },
  { files: repositoriesThatSignal, rules: { 'boundaries/dependencies': layering([{ allow: to('workflows') }]) } },
  {
    // Vite's own config is Node code outside the dashboard's browser tsconfig.
    files: ['dashboard/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: false, project: 'dashboard/tsconfig.node.json' } },
  },
  {
    // Code bundled into Temporal's workflow sandbox (workflowsPath in workflows/worker.ts and what it imports):
    // deterministic, no Node built-ins.
    files: ['workflows/workflows/**/*.ts', 'workflows/shared.ts', 'domain/**/*.ts'],
    ignores: ['domain/codes.ts', 'domain/identity.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'workflow code runs in the Temporal sandbox: no Node built-ins (do this in an activity)',
          })),
        },
      ],
    },
  },
  {
    // Workflow code must not reach the rules that need Node (they would not bundle).
    files: ['workflows/workflows/**/*.ts', 'workflows/shared.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'workflow code runs in the Temporal sandbox: no Node built-ins (do this in an activity)',
          })),
          patterns: [
            {
              regex: 'domain/(codes|identity)(\\.js)?$',
              message: 'uses Node crypto: not workflow-safe (call it from an activity)',
            },
          ],
        },
      ],
    },
  },
);
