/**
 * The address bar: which scenario a fragment opens, and the link to the one on screen.
 *
 * An empty fragment opens the default scenario; `#preset=<slug>` a preset from the library;
 * anything else is a link the worker decodes (a bad one shows why, and opens the default beside
 * it). Once a document is loaded its share fragment (`#s=2.…`) is written back with
 * `history.replaceState`, so the address bar is always a share link; a fragment changed by hand
 * (a `hashchange` the router did not write) opens what it names.
 *
 * Beside the document a fragment carries the parameters of linkParams.ts: `t` and `speed` (the
 * shared moment: the link opens paused at `t`), and the view — presenter, embed, the lesson and
 * its step, the challenge — which the address keeps while the document changes.
 */
import type { Problem } from '../../scenario/validate';
import { DEFAULT_LOAD } from './defaultLoad';
import type { Preset } from '../../scenario/presets';
import { loadPresets } from '../presets';
import { showToast, useApp } from '../store';
import { hasFragment } from '../url';
import { buildFragment, parseLinkParams } from '../linkParams';
import type { LinkParams } from '../linkParams';
import { compareParamOf, firstVariantOf, requestCompare } from '../compare/request';
import type { CommandBody } from './bridge';
import { SUPERSEDED } from './session';

/** Loads a document, or opens a link, in the worker: true, the problems that kept it out, or an error. */
export type Loader = (command: Extract<CommandBody, { type: 'load' | 'open' }>) => Promise<true | Problem[] | string>;

/** What the router asks of the page once a link's document is loaded: the moment and the view. */
export interface LinkHost {
  load: Loader;
  /** Opens the moment a link names: paused at `tMs`, at `speed`. */
  moment(params: Pick<LinkParams, 'tMs' | 'speed'>): void;
  /** Applies the view a link names (presenter, embed, lesson, challenge). */
  view(params: LinkParams): void;
  /** The simulated time and speed on screen, for "copy link". */
  now(): { tMs: number; speed: LinkParams['speed'] };
}

/** What a fragment asks to open. */
export type LinkTarget = { type: 'default' } | { type: 'preset'; document: unknown } | { type: 'link'; hash: string };

/**
 * Reads a fragment: nothing (the default), a known preset (looked up with `bySlug`), or a link
 * for the worker to decode.
 */
export function linkTargetOf(hash: string, bySlug: (slug: string) => Preset | undefined): LinkTarget {
  if (!hasFragment(hash)) return { type: 'default' };
  const params = parseLinkParams(hash);
  if (params.s === undefined) {
    const preset = params.preset === undefined ? undefined : bySlug(params.preset);
    if (preset) return { type: 'preset', document: preset.document };
    // Only view parameters (`#present=1`): the default scenario in that view.
    if (params.preset === undefined && !/(^|[#&])preset=/.test(hash) && /^#?([a-z]+=[^&]*)(&[a-z]+=[^&]*)*$/.test(hash)) return { type: 'default' };
  }
  return { type: 'link', hash };
}

export class LinkRouter {
  /** The last link "copy link" produced. */
  lastCopiedLink: string | null = null;
  /**
   * While set, the share written back and copied is this one's (compare view: the document A
   * with its variants and `&compare=` naming B) instead of the share of the document on screen.
   */
  compose: (() => string) | null = null;
  private writtenHash = '';
  /** Counts opens: an open acts only while it is the latest. */
  private generation = 0;
  private readonly onHashChange = () => {
    if (location.hash !== this.writtenHash) void this.open(location.hash);
  };
  private readonly host: LinkHost;

  constructor(host: LinkHost | Loader) {
    this.host =
      typeof host === 'function'
        ? { load: host, moment: () => undefined, view: () => undefined, now: () => ({ tMs: 0, speed: 1 }) }
        : host;
  }

  /** Follows the address bar from now on, and opens what it names now. */
  start(): void {
    window.addEventListener('hashchange', this.onHashChange);
    void this.open(location.hash);
  }

  stop(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /**
   * Opens the scenario a fragment names; a bad one shows why and opens the default beside it.
   * The newest open wins: one that a later open overtook while it waited (for the preset library,
   * or for the worker to decode and validate its link) leaves the screen and the address alone.
   */
  async open(hash: string): Promise<void> {
    const generation = ++this.generation;
    const overtaken = () => generation !== this.generation;
    const params = parseLinkParams(hash);
    this.host.view(params);
    // The preset library is a chunk of its own: fetched only when the fragment names a preset.
    const library = params.s === undefined && params.preset !== undefined ? await loadPresets() : null;
    if (overtaken()) return;
    const target = linkTargetOf(hash, (slug) => library?.presetBySlug(slug));
    if (target.type !== 'link') {
      useApp.setState({ banner: null });
      const loaded = await this.host.load(target.type === 'preset' ? { type: 'load', document: target.document } : DEFAULT_LOAD);
      if (overtaken()) return;
      if (loaded === true) {
        this.write(useApp.getState().share ?? '');
        this.host.moment(params);
      }
      // A preset that is a comparison opens in compare view, its first variant as B.
      const variant = target.type === 'preset' ? firstVariantOf(target.document) : null;
      // The link's moment goes with it: both runs open paused there.
      if (loaded === true && variant !== null) requestCompare({ type: 'variant', variant, ...(params.tMs !== undefined ? { seekMs: params.tMs } : {}) });
      return;
    }
    const result = await this.host.load({ type: 'open', link: target.hash });
    if (result === SUPERSEDED || overtaken()) return;
    if (result === true) {
      useApp.setState({ banner: null });
      // The address keeps the document and the view; the moment was opened and is dropped from it.
      this.write(useApp.getState().share ?? '');
      this.host.moment(params);
      const variant = compareParamOf(target.hash);
      if (variant !== null) requestCompare({ type: 'variant', variant, ...(params.tMs !== undefined ? { seekMs: params.tMs } : {}) });
      return;
    }
    useApp.setState({
      banner: {
        title: 'The scenario in this link could not be opened, so the default scenario is shown instead.',
        problems: Array.isArray(result) ? result : [{ path: '', message: result }],
      },
    });
    await this.host.load(DEFAULT_LOAD);
  }

  /** The fragment of a share with the view on screen (presenter, embed, lesson, challenge). */
  fragment(share: string, moment: Pick<LinkParams, 'tMs' | 'speed'> = {}): string {
    const { present, embed, lesson, challenge } = useApp.getState();
    return buildFragment(share, {
      ...moment,
      present,
      embed,
      ...(lesson ? { lesson: lesson.id, step: lesson.step } : {}),
      ...(challenge ? { challenge } : {}),
    });
  }

  /** Puts a share fragment (and the view on screen) in the address bar, without a history entry or a reload. */
  write(share: string): void {
    const hash = `#${this.fragment(this.compose ? this.compose() : share)}`;
    this.writtenHash = hash;
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }

  /** Writes the address again with the current share (after the view changed). */
  rewrite(): void {
    const share = useApp.getState().share;
    if (share !== null) this.write(share);
  }

  /**
   * The link to the scenario on screen at this moment: the document, `t` (the simulated time now)
   * and `speed`, and the view. `view: false` leaves presenter/embed/lesson out.
   */
  linkNow(options: { view?: boolean; embed?: boolean } = {}): string | null {
    const onScreen = useApp.getState().share;
    if (onScreen === null) return null;
    const share = this.compose ? this.compose() : onScreen;
    const { tMs, speed } = this.host.now();
    const moment = { ...(tMs > 0 ? { tMs } : {}), ...(speed !== undefined ? { speed } : {}) };
    const fragment =
      options.view === false ? buildFragment(share, { ...moment, ...(options.embed ? { embed: true } : {}) }) : this.fragment(share, moment);
    return `${location.origin}${location.pathname}#${fragment}`;
  }

  /** Puts the link to the scenario on screen, at this moment, on the clipboard (and the document in the address bar). */
  async copy(): Promise<string | null> {
    const link = this.linkNow();
    if (link === null) return null;
    this.lastCopiedLink = link;
    this.rewrite();
    try {
      await navigator.clipboard.writeText(link);
      showToast('Link copied: it opens this scenario paused at this moment, seed included.');
    } catch {
      showToast('The clipboard is not available here: the link is in the address bar.');
      this.writtenHash = new URL(link).hash;
      history.replaceState(history.state, '', link);
    }
    return link;
  }
}
