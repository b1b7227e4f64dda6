/**
 * zod's object parsers compile themselves with `new Function` where that is allowed, and find
 * out by trying once, when the first object schema is built. In a page under a
 * Content-Security-Policy without 'unsafe-eval' (the app's) the try is refused and reported as a
 * violation, so in a page zod runs without compiling (validation there is small: the inspector's
 * draft, a canvas edit). Node and the worker keep the compiled parsers. Imported first by
 * parts.ts, so it runs before any schema of the document is built.
 */
import { config } from 'zod';

if ('document' in globalThis) config({ jitless: true });
