/**
 * The page runs under a strict Content-Security-Policy (no eval). zod probes for `new Function`
 * when it builds an object schema, to compile fast parsers; under the policy the probe is refused
 * and reported as a violation even though zod catches it. The page parses little (the worker does
 * the validating), so it asks zod not to probe. Imported first by main.tsx, before any schema is built.
 */
import { z } from 'zod';

z.config({ jitless: true });
