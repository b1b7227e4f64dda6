import { describe, expect, it } from 'vitest';
import { linkTargetOf } from '../../src/app/simulation/linkRouter';
import { presetBySlug } from '../../src/scenario/presets';

describe('what a fragment opens', () => {
  it('nothing: the default scenario', () => {
    expect(linkTargetOf('', presetBySlug)).toEqual({ type: 'default' });
    expect(linkTargetOf('#', presetBySlug)).toEqual({ type: 'default' });
  });
  it('#preset=<slug>: that preset from the library', () => {
    expect(linkTargetOf('#preset=retry-storm', presetBySlug)).toEqual({ type: 'preset', document: presetBySlug('retry-storm')!.document });
  });
  it('anything else, an unknown preset included: a link for the worker to decode', () => {
    expect(linkTargetOf('#preset=no-such-thing', presetBySlug)).toEqual({ type: 'link', hash: '#preset=no-such-thing' });
    expect(linkTargetOf('#s=1.abc', presetBySlug)).toEqual({ type: 'link', hash: '#s=1.abc' });
  });
});
