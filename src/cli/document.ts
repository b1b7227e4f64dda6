/** Reading a scenario for the command line: a JSON file or a share URL, with errors a person can act on. */
import { readFileSync } from 'node:fs';
import { decodeShareFragment } from '../scenario/codec';
import { parseJsonText } from '../scenario/jsonText';

/** The input could not be read (exit status 2). */
export class InputError extends Error {}

export function readDocument(source: string): unknown {
  const looksLikeUrl = /^[a-z]+:\/\//i.test(source) || source.startsWith('#') || source.startsWith('s=');
  if (looksLikeUrl) {
    const decoded = decodeShareFragment(source);
    if (!decoded.ok) throw new InputError(`${source.slice(0, 80)}: ${decoded.error}`);
    return decoded.document;
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`${source}: cannot read the file (${why})`);
  }
  return parseDocumentText(text, source);
}

/** A file's text as a document, within the size limits of `scenario/jsonText.ts`; throws an InputError naming the file. */
export function parseDocumentText(text: string, source: string): unknown {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new InputError(`${source}: the document ${parsed.error}`);
  return parsed.value;
}
