import { useEffect } from 'react';
import type { RefObject } from 'react';

/**
 * Give keyboard focus back to `target` when `result` changes to a new value while focus is lost (on `<body>`, or on
 * a button that was just disabled or removed).
 *
 * A button that disappears or becomes disabled after its action leaves a keyboard user at the top of the page; the
 * result it produced (a preview, an outcome, an error) is where they want to be. Focus that is still somewhere
 * meaningful is never moved.
 */
export function useFocusRescue(target: RefObject<HTMLElement | null>, result: unknown): void {
  useEffect(() => {
    if (result === null || result === undefined) {
      return undefined;
    }
    // After the render that disabled or removed the button, and after Fluent's own focus restoration.
    const frame = window.requestAnimationFrame(() => {
      const active = document.activeElement;
      // Chromium may still report a button that just became disabled, or was removed, as focused.
      if (active === null || active === document.body || !active.isConnected || active.matches(':disabled')) {
        target.current?.focus();
      }
    });
    return () => {
      window.cancelAnimationFrame(frame);
    };
  }, [target, result]);
}
