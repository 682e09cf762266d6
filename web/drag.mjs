// Drag and drop of list rows by their handle, with Pointer Events so mouse,
// pen and touch take one path. Where a drop is allowed is the engine's answer
// (`preview`), asked while dragging: the rows a drop cannot reach are marked
// as soon as the drag starts, and the place under the pointer is marked
// allowed or forbidden, with the reason, before anything is dropped.
//
// Written by hand rather than with SortableJS: the page needs the engine's
// verdict for every hovered place and a refusal that leaves the list alone,
// which is most of what such a library would otherwise decide for itself.

import { t } from './strings.mjs';

// Pixels the pointer moves before a press becomes a drag, so a tap on the
// handle (or a keyboard user's click) never reorders anything.
const DRAG_THRESHOLD = 4;

export function attachDrag(list, { preview, drop, status }) {
  let drag = null;

  // The milestones' rows: rows Show Changes adds for deleted milestones
  // (no data-id) are not places in the list.
  function rowsNow() {
    return [...list.children].filter((row) => row.dataset.id);
  }

  function clearMarks() {
    for (const row of rowsNow()) {
      row.classList.remove(
        'no-drop',
        'drop-before',
        'drop-after',
        'drop-forbidden',
        'dragging',
        'drag-forbidden',
      );
      row.style.transform = '';
    }
    list.classList.remove('drag-active');
  }

  function targetIndex(y) {
    // Where the dragged row would land: after every other row whose middle
    // the pointer has passed.
    let index = 0;
    drag.rects.forEach((rect, i) => {
      if (i !== drag.from && y > rect.top + rect.height / 2) index += 1;
    });
    return index;
  }

  function mark(to, result) {
    drag.rows.forEach((row, i) => {
      row.classList.remove('drop-before', 'drop-after', 'drop-forbidden');
      if (to === drag.from || i === drag.from) return;
      if (i === to) {
        row.classList.add(to < drag.from ? 'drop-before' : 'drop-after');
        if (!result.ok) row.classList.add('drop-forbidden');
      }
    });
    drag.row.classList.toggle('drag-forbidden', !result.ok);
    list.dataset.dropAllowed = String(result.ok);
  }

  function update(y) {
    drag.row.style.transform = `translateY(${y - drag.startY}px)`;
    const to = targetIndex(y);
    if (to === drag.to && drag.result) return;
    drag.to = to;
    drag.result = to === drag.from ? { ok: true, text: '' } : preview(drag.id, to);
    mark(to, drag.result);
    status(drag.result.text, drag.result.ok ? 'ok' : 'forbidden');
  }

  function begin(event) {
    const rows = rowsNow();
    drag.rows = rows;
    drag.rects = rows.map((r) => r.getBoundingClientRect());
    drag.started = true;
    drag.row.classList.add('dragging');
    list.classList.add('drag-active');
    // Forbidden places are shown from the first moment of the drag.
    const here = preview(drag.id, drag.from);
    const range = here.allowedRange ?? { from: 0, to: rows.length - 1 };
    rows.forEach((row, i) => {
      if (i !== drag.from && (i < range.from || i > range.to)) row.classList.add('no-drop');
    });
    if (!here.ok) {
      // A locked milestone cannot move at all: say so at once.
      drag.result = here;
      drag.row.classList.add('drag-forbidden');
      status(here.text, 'forbidden');
    }
    update(event.clientY);
  }

  function finish(commit) {
    if (!drag) return;
    const { id, from, to, result, started } = drag;
    drag = null;
    clearMarks();
    delete list.dataset.dropAllowed;
    if (!started || !commit) return;
    if (result && result.ok && to !== from) {
      drop(id, to);
    } else if (result && !result.ok) {
      status(t('drag.notMovedBecause', { text: result.text }), 'forbidden');
    } else {
      status('', 'ok');
    }
  }

  list.addEventListener('pointerdown', (event) => {
    const handle = event.target.closest('.handle');
    if (!handle || event.button !== 0 || drag) return;
    const row = handle.closest('li');
    if (!row.dataset.id) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    drag = {
      id: row.dataset.id,
      row,
      handle,
      from: rowsNow().indexOf(row),
      to: rowsNow().indexOf(row),
      startY: event.clientY,
      pointerId: event.pointerId,
      result: null,
      started: false,
    };
  });

  list.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    if (!drag.started) {
      if (Math.abs(event.clientY - drag.startY) < DRAG_THRESHOLD) return;
      begin(event);
      return;
    }
    update(event.clientY);
  });

  list.addEventListener('pointerup', (event) => {
    if (drag && event.pointerId === drag.pointerId) finish(true);
  });
  list.addEventListener('pointercancel', () => finish(false));
  list.addEventListener('lostpointercapture', () => finish(false));
  window.addEventListener('keydown', (event) => {
    if (drag && event.key === 'Escape') {
      finish(false);
      status(t('drag.cancelled'), 'ok');
    }
  });
}
