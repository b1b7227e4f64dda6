import { describe, expect, it } from 'vitest';
import { buildFragment, parseLinkParams, secondsText } from '../../src/app/linkParams';
import { lagText } from '../../src/app/header/lag';
import { linkTargetOf } from '../../src/app/simulation/linkRouter';
import { presetBySlug } from '../../src/scenario/presets';

describe('the parameters a link carries', () => {
  it('reads the moment, the view and the lesson beside the document', () => {
    expect(parseLinkParams('#s=2.abc&t=20&speed=2&present=1&lesson=timeouts&step=1')).toEqual({
      s: '2.abc',
      tMs: 20_000,
      speed: 2,
      embed: false,
      present: true,
      lesson: 'timeouts',
      step: 1,
    });
    expect(parseLinkParams('#preset=retry-storm&embed=1&t=0.125')).toMatchObject({ preset: 'retry-storm', embed: true, tMs: 125 });
  });
  it('ignores what it cannot use: a negative or huge t, an unknown speed, a bad slug', () => {
    expect(parseLinkParams('#t=-3&speed=3&lesson=Bad%20One&step=x')).toEqual({ embed: false, present: false });
    expect(parseLinkParams('#t=1e9').tMs).toBeUndefined();
  });
  it('writes the moment after the document, speed only when it is not 1×', () => {
    expect(buildFragment('s=2.abc', { tMs: 20_000, speed: 1 })).toBe('s=2.abc&t=20');
    expect(buildFragment('s=2.abc', { tMs: 20_500, speed: 'max', present: true })).toBe('s=2.abc&t=20.5&speed=max&present=1');
    expect(buildFragment('s=2.abc', { lesson: 'retries', step: 0, embed: true })).toBe('s=2.abc&embed=1&lesson=retries&step=0');
    expect(secondsText(1234)).toBe('1.234');
  });
  it('round-trips', () => {
    const f = buildFragment('s=2.xyz', { tMs: 61_250, speed: 0.5, embed: true, challenge: 'tame-the-storm' });
    expect(parseLinkParams(f)).toMatchObject({ s: '2.xyz', tMs: 61_250, speed: 0.5, embed: true, challenge: 'tame-the-storm' });
  });
  it('a preset with view parameters still opens the preset; view parameters alone open the default', () => {
    expect(linkTargetOf('#preset=retry-storm&present=1', presetBySlug)).toEqual({ type: 'preset', document: presetBySlug('retry-storm')!.document });
    expect(linkTargetOf('#present=1', presetBySlug)).toEqual({ type: 'default' });
    expect(linkTargetOf('#s=2.abc&t=20', presetBySlug)).toEqual({ type: 'link', hash: '#s=2.abc&t=20' });
  });
});

describe('the speed control when the run lags', () => {
  it('says the real rate when it falls under 80% of the chosen speed', () => {
    expect(lagText(0.1, 1)).toBe('0.1× of 1×');
    expect(lagText(0.9, 1)).toBeNull();
    expect(lagText(3.2, 10)).toBe('3.2× of 10×');
    expect(lagText(null, 1)).toBeNull();
  });
  it('at max, says what max reaches', () => {
    expect(lagText(37.4, 'max')).toBe('max ≈ 37×');
  });
});
