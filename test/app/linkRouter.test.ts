import { describe, expect, it, vi } from 'vitest';
import { LinkRouter, linkTargetOf } from '../../src/app/simulation/linkRouter';
import { useCompareFlags } from '../../src/app/compare/request';
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

describe('a comparison link and its moment', () => {
  const host = { load: async () => true as const, moment: () => undefined, view: () => undefined, now: () => ({ tMs: 0, speed: 1 as const }) };
  const opened = async (hash: string) => {
    vi.stubGlobal('location', { hash, pathname: '/', search: '', origin: 'http://localhost' });
    vi.stubGlobal('history', { state: null, replaceState: () => undefined });
    useCompareFlags.setState({ request: null });
    try {
      await new LinkRouter(host).open(hash);
      return useCompareFlags.getState().request;
    } finally {
      vi.unstubAllGlobals();
    }
  };
  it('a preset that is a comparison, with &t=: compare view opens both runs there', async () => {
    expect(await opened('#preset=retry-storm&t=60')).toEqual({ type: 'variant', variant: 'full jitter and a budget', seekMs: 60000 });
  });
  it('without &t=: at 00:00', async () => {
    expect(await opened('#preset=retry-storm')).toEqual({ type: 'variant', variant: 'full jitter and a budget' });
  });
});
