/** Open a scenario from a JSON file, and save the document on screen as one. */
import { parseJsonText } from '../scenario/jsonText';

/** The file name a scenario is saved under: its name, lowercased, dashes for the rest. */
export function fileNameFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'scenario'}.faultline.json`;
}

/** The document as a file's text: two-space JSON with a final newline. */
export function documentText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Offers the document as a download. */
export function saveDocument(document: unknown, name: string): void {
  const blob = new Blob([documentText(document)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = window.document.createElement('a');
  a.href = url;
  a.download = fileNameFor(name);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads a chosen file as JSON: the document, or why it is not one. */
export async function readJsonFile(file: Blob): Promise<{ ok: true; document: unknown } | { ok: false; error: string }> {
  const parsed = parseJsonText(await file.text());
  return parsed.ok ? { ok: true, document: parsed.value } : { ok: false, error: `the file ${parsed.error}` };
}

/** Offers any text as a download (a definitions file, a YAML snippet). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = window.document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
