/**
 * Modules the build makes (vite.config.ts). `virtual:faultline/default-scenario`: the built-in
 * first scenario as the worker would check it — its scenario with the defaults applied, and its
 * share fragment — worked out when the app is built (typed where it is read,
 * simulation/defaultLoad.ts).
 */
declare module 'virtual:faultline/default-scenario' {
  const checked: { scenario: unknown; share: string };
  export default checked;
}
