/** Writes public/scenario.schema.json from the zod schema: `npm run schema`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../scenario/jsonSchema';

const out = fileURLToPath(new URL('../../public/scenario.schema.json', import.meta.url));
writeFileSync(out, scenarioJsonSchemaText());
console.log(`wrote ${out}`);
