import { describe, expect, it } from 'vitest';
import { actionFor, isTypingTarget, nextSpeed, seekDelta } from '../../src/app/keymap';

describe('keyboard shortcuts', () => {
  it('Space plays and pauses; arrows seek 1 s, with Shift 10 s', () => {
    expect(actionFor({ key: ' ' })).toBe('toggle');
    expect(seekDelta(actionFor({ key: 'ArrowLeft' })!)).toBe(-1000);
    expect(seekDelta(actionFor({ key: 'ArrowRight' })!)).toBe(1000);
    expect(seekDelta(actionFor({ key: 'ArrowLeft', shiftKey: true })!)).toBe(-10_000);
    expect(seekDelta(actionFor({ key: 'ArrowRight', shiftKey: true })!)).toBe(10_000);
  });
  it('+ and − change speed, ? opens the help; chords with Ctrl/Cmd/Alt are the browser\'s', () => {
    expect(actionFor({ key: '+' })).toBe('faster');
    expect(actionFor({ key: '=' })).toBe('faster');
    expect(actionFor({ key: '-' })).toBe('slower');
    expect(actionFor({ key: '?', shiftKey: true })).toBe('help');
    expect(actionFor({ key: '+', ctrlKey: true })).toBeNull();
    expect(actionFor({ key: 'ArrowLeft', metaKey: true })).toBeNull();
    expect(actionFor({ key: 'x' })).toBeNull();
  });
  it('speed climbs the ladder from 0.1× to max and stops at the ends', () => {
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(1, -1)).toBe(0.5);
    expect(nextSpeed(100, 1)).toBe('max');
    expect(nextSpeed('max', 1)).toBe('max');
    expect(nextSpeed(0.1, -1)).toBe(0.1);
  });
  it('keys typed into a text field are left alone; a checkbox or the seek slider still obey', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'number' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('editing shortcuts', () => {
  it('Ctrl/⌘+Z undoes; with Shift, or Ctrl+Y, redoes', async () => {
    const { editActionFor } = await import('../../src/app/keymap');
    expect(editActionFor({ key: 'z', ctrlKey: true })).toBe('undo');
    expect(editActionFor({ key: 'z', metaKey: true })).toBe('undo');
    expect(editActionFor({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(editActionFor({ key: 'y', ctrlKey: true })).toBe('redo');
    expect(editActionFor({ key: 'z' })).toBeNull();
    expect(editActionFor({ key: 'z', ctrlKey: true, altKey: true })).toBeNull();
  });
  it('Delete and Backspace delete; Ctrl+C and Ctrl+V copy and paste', async () => {
    const { editActionFor } = await import('../../src/app/keymap');
    expect(editActionFor({ key: 'Delete' })).toBe('delete');
    expect(editActionFor({ key: 'Backspace' })).toBe('delete');
    expect(editActionFor({ key: 'c', ctrlKey: true })).toBe('copy');
    expect(editActionFor({ key: 'v', metaKey: true })).toBe('paste');
    expect(editActionFor({ key: 'c' })).toBeNull();
  });
});
