// Runs before the app's modules (a classic script before the module script): the page's
// Content-Security-Policy forbids eval, so zod must not probe for it when its schemas are built
// (the probe's `new Function` is reported as a violation although zod catches it).
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
