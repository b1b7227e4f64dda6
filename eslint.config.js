// ESLint flat config. Besides the usual TypeScript rules, it keeps imports flowing one way:
//   engine, scenario  <-  model  <-  run  <-  app, cli
// A layer may import only the layers to its left (and itself).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Forbid imports that reach a folder named in `layers` (relative or not). */
function forbid(layers, why) {
  const group = layers.join('|');
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `(^|/)(${group})(/|$)`,
            message: why,
          },
        ],
      },
    ],
  };
}

const noWallClock = {
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use a seeded stream from engine/random.' },
    { object: 'Date', property: 'now', message: 'The simulation reads only its own clock.' },
    { object: 'performance', property: 'now', message: 'The simulation reads only its own clock.' },
    ...['log', 'exp', 'pow', 'log2', 'log10', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'cbrt', 'hypot'].map((property) => ({
      object: 'Math',
      property,
      message: 'Engines round Math functions differently: use engine/fmath.ts so Node and the browser compute the same bits.',
    })),
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'The simulation reads only its own clock.' },
    { selector: "BinaryExpression[operator='**']", message: 'Engines round ** differently: use powInt or pow2 from engine/fmath.ts.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/engine/**'],
    rules: { ...forbid(['scenario', 'model', 'run', 'app', 'cli'], 'engine is the bottom layer: it imports nothing above it.'), ...noWallClock },
  },
  {
    files: ['src/scenario/**'],
    rules: { ...forbid(['engine', 'model', 'run', 'app', 'cli'], 'scenario sits beside engine: it imports neither the engine nor anything above it.'), ...noWallClock },
  },
  {
    files: ['src/model/**'],
    rules: { ...forbid(['run', 'app', 'cli'], 'model imports only engine and scenario.'), ...noWallClock },
  },
  {
    files: ['src/run/**'],
    rules: { ...forbid(['app', 'cli'], 'run imports only engine, scenario and model.'), ...noWallClock },
  },
  {
    files: ['src/app/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(['model', 'engine', 'cli'], 'the app talks to the simulation only through run/ (the worker bridge) and scenario/.'),
    },
  },
  {
    files: ['src/cli/**'],
    rules: forbid(['app', 'model'], 'the CLI drives runs through run/ and scenario/, not the model.'),
  },
);
