/**
 * The address bar: which scenario a fragment opens, and the link to the one on screen.
 *
 * An empty fragment opens the default scenario; `#preset=<slug>` a preset from the library;
 * anything else is a link the worker decodes (a bad one shows why, and opens the default beside
 * it). Once a document is loaded its share fragment (`#s=1.…`) is written back with
 * `history.replaceState`, so the address bar is always a share link; a fragment changed by hand
 * (a `hashchange` the router did not write) opens what it names.
 */
import type { Problem } from '../../scenario/validate';
import { defaultScenario } from '../../scenario/defaultScenario';
import { presetBySlug } from '../../scenario/presets';
import { showToast, useApp } from '../store';
import { hasFragment, shareLink } from '../url';
import { compareParamOf, firstVariantOf, requestCompare } from '../compare/request';
import type { CommandBody } from './bridge';
import { SUPERSEDED } from './session';

/** Loads a document, or opens a link, in the worker: true, the problems that kept it out, or an error. */
export type Loader = (command: Extract<CommandBody, { type: 'load' | 'open' }>) => Promise<true | Problem[] | string>;

/** What a fragment asks to open. */
export type LinkTarget = { type: 'default' } | { type: 'preset'; document: unknown } | { type: 'link'; hash: string };

/** Reads a fragment: nothing (the default), a known preset, or a link for the worker to decode. */
export function linkTargetOf(hash: string): LinkTarget {
  if (!hasFragment(hash)) return { type: 'default' };
  const slug = /^#?preset=([a-z0-9-]+)$/.exec(hash)?.[1];
  const preset = slug === undefined ? undefined : presetBySlug(slug);
  return preset ? { type: 'preset', document: preset.document } : { type: 'link', hash };
}

export class LinkRouter {
  /** The last link "copy link" produced. */
  lastCopiedLink: string | null = null;
  /**
   * While set, the fragment written back and copied is this one's (compare view: the document A
   * with its variants and `&compare=` naming B) instead of the share of the document on screen.
   */
  compose: (() => string) | null = null;
  private writtenHash = '';
  private readonly onHashChange = () => {
    if (location.hash !== this.writtenHash) void this.open(location.hash);
  };

  constructor(private readonly load: Loader) {}

  /** Follows the address bar from now on, and opens what it names now. */
  start(): void {
    window.addEventListener('hashchange', this.onHashChange);
    void this.open(location.hash);
  }

  stop(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** Opens the scenario a fragment names; a bad one shows why and opens the default beside it. */
  async open(hash: string): Promise<void> {
    const target = linkTargetOf(hash);
    if (target.type !== 'link') {
      useApp.setState({ banner: null });
      const loaded = await this.load({ type: 'load', document: target.type === 'preset' ? target.document : defaultScenario });
      if (loaded === true) this.write(useApp.getState().share ?? '');
      // A preset that is a comparison opens in compare view, its first variant as B.
      const variant = target.type === 'preset' ? firstVariantOf(target.document) : null;
      if (loaded === true && variant !== null) requestCompare({ type: 'variant', variant });
      return;
    }
    const result = await this.load({ type: 'open', link: target.hash });
    if (result === SUPERSEDED) return;
    if (result === true) {
      useApp.setState({ banner: null });
      this.writtenHash = location.hash;
      const variant = compareParamOf(target.hash);
      if (variant !== null) requestCompare({ type: 'variant', variant });
      return;
    }
    useApp.setState({
      banner: {
        title: 'The scenario in this link could not be opened, so the default scenario is shown instead.',
        problems: Array.isArray(result) ? result : [{ path: '', message: result }],
      },
    });
    await this.load({ type: 'load', document: defaultScenario });
  }

  /** Puts a share fragment in the address bar (without a history entry or a reload). */
  write(share: string): void {
    const hash = `#${this.compose ? this.compose() : share}`;
    this.writtenHash = hash;
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }

  /** Puts the link to the scenario on screen on the clipboard (and in the address bar). */
  async copy(): Promise<string | null> {
    const share = useApp.getState().share;
    if (share === null) return null;
    const link = shareLink(this.compose ? this.compose() : share);
    this.lastCopiedLink = link;
    this.write(share);
    try {
      await navigator.clipboard.writeText(link);
      showToast('Link copied: it holds the whole scenario, seed included.');
    } catch {
      showToast('The clipboard is not available here: the link is in the address bar.');
    }
    return link;
  }
}
