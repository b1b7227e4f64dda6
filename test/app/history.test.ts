import { describe, expect, it } from 'vitest';
import { EditHistory } from '../../src/app/history';

const doc = (n: number) => ({ n });

describe('EditHistory', () => {
  it('has nothing to undo or redo before an edit', () => {
    const h = new EditHistory();
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBeNull();
    expect(h.redo()).toBeNull();
    h.reset(doc(0));
    expect(h.canUndo).toBe(false);
    expect(h.present).toEqual(doc(0));
  });

  it('undo gives back the document before the edit, with the label of the edit taken back', () => {
    const h = new EditHistory();
    h.reset(doc(0));
    h.push(doc(1), 'add service-1');
    h.push(doc(2), 'add service-2');
    expect(h.getView()).toMatchObject({ canUndo: true, canRedo: false, undoLabel: 'add service-2', undoLabels: ['add service-1', 'add service-2'] });
    expect(h.undo()).toEqual({ document: doc(1), label: 'add service-2' });
    expect(h.undo()).toEqual({ document: doc(0), label: 'add service-1' });
    expect(h.undo()).toBeNull();
    expect(h.present).toEqual(doc(0));
    expect(h.redo()).toEqual({ document: doc(1), label: 'add service-1' });
    expect(h.getView()).toMatchObject({ undoLabel: 'add service-1', redoLabel: 'add service-2', redoLabels: ['add service-2'] });
  });

  it('an edit after an undo drops what was undone', () => {
    const h = new EditHistory();
    h.reset(doc(0));
    h.push(doc(1), 'a');
    h.push(doc(2), 'b');
    h.undo();
    h.push(doc(3), 'c');
    expect(h.canRedo).toBe(false);
    expect(h.labels).toEqual({ undo: ['a', 'c'], redo: [] });
    expect(h.undo()?.document).toEqual(doc(1));
  });

  it('peek says what undo and redo would do without moving', () => {
    const h = new EditHistory();
    h.reset(doc(0));
    h.push(doc(1), 'a');
    expect(h.peekUndo()).toEqual({ document: doc(0), label: 'a' });
    expect(h.present).toEqual(doc(1));
    h.undo();
    expect(h.peekRedo()).toEqual({ document: doc(1), label: 'a' });
    expect(h.present).toEqual(doc(0));
  });

  it('reset starts a new history (another document was opened)', () => {
    const h = new EditHistory();
    h.reset(doc(0));
    h.push(doc(1), 'a');
    h.reset(doc(9));
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(false);
    expect(h.present).toEqual(doc(9));
  });

  it('keeps at most `limit` edits, dropping the oldest', () => {
    const h = new EditHistory(3);
    h.reset(doc(0));
    for (let i = 1; i <= 5; i++) h.push(doc(i), `e${i}`);
    expect(h.labels.undo).toEqual(['e3', 'e4', 'e5']);
    h.undo();
    h.undo();
    expect(h.undo()?.document).toEqual(doc(2));
    expect(h.canUndo).toBe(false);
  });

  it('tells its subscribers when it changes, with a new view object', () => {
    const h = new EditHistory();
    let calls = 0;
    const stop = h.subscribe(() => calls++);
    const before = h.getView();
    h.reset(doc(0));
    h.push(doc(1), 'a');
    h.undo();
    h.undo(); // nothing to undo: no change
    expect(calls).toBe(3);
    expect(h.getView()).not.toBe(before);
    const same = h.getView();
    expect(h.getView()).toBe(same);
    stop();
    h.redo();
    expect(calls).toBe(3);
  });

  it('a push before any reset becomes the base', () => {
    const h = new EditHistory();
    h.push(doc(1), 'a');
    expect(h.canUndo).toBe(false);
    expect(h.present).toEqual(doc(1));
  });
});
