import { describe, expect, it } from 'vitest';
import { documentText, fileNameFor, readJsonFile } from '../../src/app/files';

describe('scenario files', () => {
  it('names a file after the scenario', () => {
    expect(fileNameFor('Timeouts and a breaker stop the cascade')).toBe('timeouts-and-a-breaker-stop-the-cascade.faultline.json');
    expect(fileNameFor('!!!')).toBe('scenario.faultline.json');
  });
  it('a saved document reads back the same', async () => {
    const doc = { format: 'faultline/1', name: 'x', faults: [{ atMs: 1.5, untilMs: null }] };
    const back = await readJsonFile(new Blob([documentText(doc)]));
    expect(back).toEqual({ ok: true, document: doc });
  });
  it('says why a file is not JSON', async () => {
    const back = await readJsonFile(new Blob(['{ nope']));
    expect(back.ok).toBe(false);
    expect(!back.ok && back.error).toMatch(/^the file is not valid JSON \(/);
  });
});
